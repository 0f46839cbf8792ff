/**
 * `session<Data>(options)` for Hono: loads the session before the handler (`c.get("session")`,
 * typed by `Data`), commits after it, and turns a store failure into an `HTTPException` (503, the
 * `SessionError` as `cause`) for Hono's `onError`. Web-standard only, so it runs wherever Hono does.
 */
import {
  configError,
  createSessionManager,
  isForwardedHttps,
  isSessionError,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionManagerOptions,
} from "@tessera/core";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Options: the core's, plus how to tell HTTPS behind a proxy. */
export interface SessionOptions extends SessionManagerOptions {
  /**
   * Trust `X-Forwarded-Proto` to decide whether a request is HTTPS (for `cookie.secure: "auto"`).
   * Default `false`: only the request URL counts. Set it when a reverse proxy you control
   * terminates TLS and always sets the header.
   */
  proxy?: boolean;
}

/** The Hono environment the middleware provides: `c.get("session")`. */
export type SessionEnv<Data extends SessionData = SessionData> = { Variables: { session: Session<Data> } };

/** The middleware, with the session manager it uses (for `listSessions`, `revokeSessions`, ...). */
export type SessionMiddleware<Data extends SessionData = SessionData> = MiddlewareHandler<SessionEnv<Data>> & {
  readonly manager: SessionManager<Data>;
};

/** Runs a core call; a `SessionError` becomes an `HTTPException` with its status and itself as `cause`. */
async function throughHono<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isSessionError(error)) throw new HTTPException(error.status as ContentfulStatusCode, { message: error.message, cause: error });
    throw error;
  }
}

/**
 * Discards the handler's response and the headers it set, so that onError starts from nothing
 * (Hono would otherwise copy them into the error response): nothing of a response whose session
 * could not be saved goes out.
 */
function dropResponse(c: Context): void {
  const names: string[] = [];
  c.res.headers.forEach((_value: string, name: string) => {
    names.push(name);
  });
  c.res = undefined as unknown as typeof c.res;
  c.finalized = false;
  for (const name of names) c.header(name, undefined);
}

/** Creates the middleware. Validates the options now: a mistake throws `INVALID_CONFIG` at startup. */
export function session<Data extends SessionData = SessionData>(options: SessionOptions): SessionMiddleware<Data> {
  const { proxy = false, ...managerOptions } = options;
  if (typeof proxy !== "boolean") throw configError("`proxy` must be true or false.", "hono");
  const manager = createSessionManager<Data>(managerOptions);
  const isHttps = (c: Context) => c.req.url.startsWith("https:") || (proxy && isForwardedHttps(c.req.header("x-forwarded-proto")));

  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    const loaded = await throughHono(
      manager.load({ cookieHeader: c.req.header("cookie") ?? null, secure: isHttps(c), header: (name) => c.req.header(name) }),
    );
    c.set("session", loaded);
    await next();
    // The handler failed and onError answered: commit nothing, as in the other adapters.
    if (c.error) return;
    try {
      await throughHono(
        manager.commit(loaded, {
          appendSetCookie: (line) => c.header("set-cookie", line, { append: true }),
          setHeader: (name, value) => c.header(name, value),
        }),
      );
    } catch (error) {
      dropResponse(c);
      throw error;
    }
  };
  return Object.assign(middleware, { manager });
}
