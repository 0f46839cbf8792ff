/**
 * `session(options)` for Koa: loads the session before the downstream middleware, exposes it as
 * `ctx.session` (an object view: data keys as properties, plus `regenerate`, `destroy`, `reload`,
 * `save`, `touch`, ...), and commits after them. `ctx.session = null` destroys it.
 */
import {
  bindSession,
  createSessionManager,
  formatMessage,
  type SessionData,
  SessionError,
  type SessionManager,
  type SessionManagerOptions,
  type SessionView,
} from "@tessera/core";
import type { DefaultState, Middleware } from "koa";

/** What the middleware adds to Koa's context. */
export interface SessionContext<Data extends SessionData = SessionData> {
  /** The session (never `null` when read: after `ctx.session = null` it is a new, empty session). */
  get session(): SessionView<Data>;
  /** `null` destroys the session (as in koa-session); an object replaces its data. */
  set session(value: SessionView<Data> | Partial<Data> | null | undefined);
}

/** The middleware, with the session manager it uses (for `listSessions`, `revokeSessions`, ...). */
export type SessionMiddleware<Data extends SessionData = SessionData> = Middleware<DefaultState, SessionContext<Data>> & {
  readonly manager: SessionManager<Data>;
};

/**
 * Creates the middleware; the options are the core's (`secrets`, `store`, `cookie`, timeouts, ...).
 * Validates them now: a mistake throws `INVALID_CONFIG` at startup. `cookie.secure: "auto"` follows
 * `ctx.secure`, so it honours Koa's own `app.proxy` setting for `X-Forwarded-Proto`.
 */
export function session<Data extends SessionData = SessionData>(options: SessionManagerOptions): SessionMiddleware<Data> {
  const manager = createSessionManager<Data>(options);

  const middleware: Middleware<DefaultState, SessionContext<Data>> = async (ctx, next) => {
    const loaded = await manager.load({
      cookieHeader: ctx.get("cookie") || null,
      secure: ctx.secure,
      header: (name) => ctx.get(name) || null,
    });
    const { view, commit } = bindSession(manager, loaded, {
      appendSetCookie: (line) => ctx.append("set-cookie", line),
      setHeader: (name, value) => ctx.set(name, value),
    });
    Object.defineProperty(ctx, "session", {
      configurable: true,
      enumerable: true,
      get: () => view,
      set: (value: unknown) => {
        if (value === null || value === undefined) loaded.destroy();
        else if (value !== view && typeof value === "object") {
          loaded.clear();
          Object.assign(view, value);
        } else if (value !== view) {
          throw new SessionError("INVALID_ARGUMENT", formatMessage("koa", "ctx.session takes null (destroy) or an object of data."));
        }
      },
    });
    // A downstream error skips the commit: Koa answers it with fresh headers, so a cookie set now
    // would be lost while the store kept the change.
    await next();
    await commit();
  };
  return Object.assign(middleware, { manager });
}
