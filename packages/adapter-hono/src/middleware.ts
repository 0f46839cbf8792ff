/**
 * `session<Data>(options)` for Hono: loads the session before the handler (`c.get("session")`,
 * typed by `Data`), commits after it, and turns a store failure into an `HTTPException` (503, the
 * `SessionError` as `cause`) for Hono's `onError`. Web-standard only, so it runs wherever Hono does.
 */
import {
  type CsrfOptions,
  createSessionManager,
  csrfPolicy,
  isSessionError,
  type RequestPort,
  type ResponsePort,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionManagerOptions,
} from "@tessera/core";
import { configError, isForwardedHttps } from "@tessera/core/internal";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { verifyCsrf } from "./csrf.js";

/** HTTPException's status type under any Hono 4.x: older releases have no `ContentfulStatusCode` to import. */
type HonoErrorStatus = ConstructorParameters<typeof HTTPException>[0];

/** Options: the core's, plus how to tell HTTPS behind a proxy. */
export interface SessionOptions extends SessionManagerOptions {
  /**
   * Trust `X-Forwarded-Proto` to decide whether a request is HTTPS (for `cookie.secure: "auto"`).
   * Default `false`: only the request URL counts. Set it when a reverse proxy you control
   * terminates TLS and always sets the header.
   * @default false
   */
  proxy?: boolean;
  /**
   * CSRF protection bound to the session (see docs/csrf.md): `true`, or options. Unsafe requests
   * then need a token from `c.get("session").csrfToken()` in the `x-csrf-token` header or the
   * `_csrf` form field, and are refused (an `HTTPException` 403 whose `cause` is the
   * `SessionError` with code `CSRF_REJECTED`) when another site sends them.
   * @default false
   */
  csrf?: boolean | CsrfOptions;
}

/** The Hono environment the middleware provides: `c.get("session")`. */
export type SessionEnv<Data extends SessionData = SessionData> = { Variables: { session: Session<Data> } };

/** The middleware, with the session manager it uses (for `listSessions`, `revokeSessions`, ...). */
export type SessionMiddleware<Data extends SessionData = SessionData> = MiddlewareHandler<SessionEnv<Data>> & {
  readonly manager: SessionManager<Data>;
};

/** A `SessionError` becomes an `HTTPException` with its status and itself as `cause`; anything else is kept. */
function forHono(error: unknown): unknown {
  if (isSessionError(error)) return new HTTPException(error.status as HonoErrorStatus, { message: error.message, cause: error });
  return error;
}

/** The core's request and response ports for one request: one object, no closures. */
class HonoPorts implements RequestPort, ResponsePort {
  readonly cookieHeader: string | null;
  readonly secure: boolean;
  readonly #c: Context;

  constructor(c: Context, trustProxy: boolean) {
    this.#c = c;
    const request = c.req;
    this.cookieHeader = request.header("cookie") ?? null;
    this.secure = request.url.startsWith("https:") || (trustProxy && isForwardedHttps(request.header("x-forwarded-proto")));
  }

  header(name: string): string | undefined {
    return this.#c.req.header(name);
  }

  appendSetCookie(line: string): void {
    writeHeader(this.#c, "set-cookie", line, true);
  }

  setHeader(name: string, value: string): void {
    writeHeader(this.#c, name, value, false);
  }
}

/**
 * Writes a response header after the handler. A finished response's headers are changed in place
 * when they are mutable, as Hono's own middleware (cors, etag) do: `c.header()` would rebuild the
 * response around its body, which on Node turns it into a stream. Immutable headers (a response
 * from `fetch()` or `Response.redirect()`) throw a `TypeError`; then a mutable copy replaces it.
 */
function writeHeader(c: Context, name: string, value: string, append: boolean): void {
  if (!c.finalized) {
    c.header(name, value, { append });
    return;
  }
  const write = (headers: Context["res"]["headers"]) => (append ? headers.append(name, value) : headers.set(name, value));
  try {
    write(c.res.headers);
    return;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  // Immutable headers (a fetch() response): a copy replaces it. Clearing c.res first skips the
  // setter's merge into the old headers, which older Hono 4 releases write to the immutable ones.
  const ResponseClass = c.res.constructor as new (body: Context["res"]["body"], init: Context["res"]) => Context["res"];
  const copy = new ResponseClass(c.res.body, c.res);
  c.res = undefined;
  c.res = copy;
  write(copy.headers);
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
  const { proxy = false, csrf = false, ...managerOptions } = options;
  if (typeof proxy !== "boolean") throw configError("`proxy` must be true or false.", "hono");
  const csrfChecks = csrf === false ? undefined : csrfPolicy(csrf, "hono");
  const manager = createSessionManager<Data>(managerOptions);

  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    const ports = new HonoPorts(c, proxy);
    let loaded: Session<Data>;
    try {
      loaded = await manager.load(ports);
    } catch (error) {
      throw forHono(error);
    }
    c.set("session", loaded);
    if (csrfChecks !== undefined) {
      try {
        await verifyCsrf(c, loaded, csrfChecks, ports.secure);
      } catch (error) {
        throw forHono(error);
      }
    }
    await next();
    // The handler failed and onError answered: commit nothing, as in the other adapters.
    if (c.error) return;
    try {
      await manager.commit(loaded, ports);
    } catch (error) {
      dropResponse(c);
      throw forHono(error);
    }
  };
  return Object.assign(middleware, { manager });
}
