/**
 * `session(options)` for Koa: loads the session before the downstream middleware, exposes it as
 * `ctx.session` (an object view: data keys as properties, plus `regenerate`, `destroy`, `reload`,
 * `save`, `touch`, ...), and commits after them. `ctx.session = null` destroys it.
 */
import {
  bindSession,
  createSessionManager,
  formatMessage,
  type RequestPort,
  type ResponsePort,
  type Session,
  type SessionData,
  SessionError,
  type SessionManager,
  type SessionManagerOptions,
  type SessionView,
} from "@tessera/core";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";

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

type KoaContext = ParameterizedContext<DefaultState, object>;

/** Where a context keeps its request's session (see {@link RequestSession}). */
const SESSION = Symbol("tessera.session");

/**
 * One request's session: the core's request and response ports for `ctx`, and what `ctx.session`
 * reads and writes. One object per request, with no closures.
 */
class RequestSession implements RequestPort, ResponsePort {
  readonly cookieHeader: string | null;
  readonly secure: boolean;
  readonly #ctx: KoaContext;
  session: Session<SessionData> | undefined;
  view: SessionView | undefined;

  constructor(ctx: KoaContext) {
    this.#ctx = ctx;
    this.cookieHeader = ctx.req.headers.cookie ?? null;
    this.secure = ctx.secure;
  }

  header(name: string): string | null {
    return this.#ctx.get(name) || null;
  }

  appendSetCookie(line: string): void {
    this.#ctx.append("set-cookie", line);
  }

  setHeader(name: string, value: string): void {
    this.#ctx.set(name, value);
  }
}

type WithSession = KoaContext & { [SESSION]?: RequestSession };

function readSession(this: WithSession): SessionView | undefined {
  return this[SESSION]?.view;
}

function writeSession(this: WithSession, value: unknown): void {
  const current = this[SESSION];
  if (current?.view === undefined || current.session === undefined) {
    // No session middleware has run for this context: behave as a plain property.
    Object.defineProperty(this, "session", { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  if (value === null || value === undefined) current.session.destroy();
  else if (value !== current.view && typeof value === "object") {
    current.session.clear();
    Object.assign(current.view, value);
  } else if (value !== current.view) {
    throw new SessionError("INVALID_ARGUMENT", formatMessage("koa", "ctx.session takes null (destroy) or an object of data."));
  }
}

/** `ctx.session`: the same two functions for every context, reading the request's session from it. */
const SESSION_PROPERTY: PropertyDescriptor = { configurable: true, enumerable: true, get: readSession, set: writeSession };

/**
 * Makes `ctx.session` read the request's session. Koa builds every context from `app.context`, so
 * the accessor is defined there once per app; a context built some other way, or an app whose
 * `app.context` already has a `session` of someone else's, gets it on the context itself.
 * Returns the prototype that now has it, to be skipped next time.
 */
function exposeSession(ctx: KoaContext): object | undefined {
  const prototype = Object.getPrototypeOf(ctx) as object | null;
  if (prototype !== null && prototype === (ctx.app as { context?: unknown } | undefined)?.context) {
    const existing = Object.getOwnPropertyDescriptor(prototype, "session");
    if (existing === undefined || existing.get === readSession) {
      if (existing === undefined) Object.defineProperty(prototype, "session", SESSION_PROPERTY);
      // An own `session` set before the middleware ran would hide the accessor.
      if (Object.hasOwn(ctx, "session")) delete (ctx as { session?: unknown }).session;
      return prototype;
    }
  }
  Object.defineProperty(ctx, "session", SESSION_PROPERTY);
  return undefined;
}

/**
 * Creates the middleware; the options are the core's (`secrets`, `store`, `cookie`, timeouts, ...).
 * Validates them now: a mistake throws `INVALID_CONFIG` at startup. `cookie.secure: "auto"` follows
 * `ctx.secure`, so it honours Koa's own `app.proxy` setting for `X-Forwarded-Proto`.
 */
export function session<Data extends SessionData = SessionData>(options: SessionManagerOptions): SessionMiddleware<Data> {
  const manager = createSessionManager<Data>(options);
  /** The `app.context` that already has the accessor (the usual single app: checked by identity). */
  let exposedOn: object | undefined;

  const middleware: Middleware<DefaultState, SessionContext<Data>> = async (ctx, next) => {
    const context = ctx as unknown as WithSession;
    const request = new RequestSession(context);
    const loaded = await manager.load(request);
    const binding = bindSession(manager, loaded, request);
    request.session = loaded as unknown as Session<SessionData>;
    request.view = binding.view as unknown as SessionView;
    if (Object.getPrototypeOf(context) !== exposedOn || Object.hasOwn(context, "session")) {
      exposedOn = exposeSession(context) ?? exposedOn;
    }
    context[SESSION] = request;
    // A downstream error skips the commit: Koa answers it with fresh headers, so a cookie set now
    // would be lost while the store kept the change.
    await next();
    await binding.commit();
  };
  return Object.assign(middleware, { manager });
}
