/**
 * @tessera/adapter-express — Tessera sessions for Express 4 and 5 and connect-style servers, with
 * express-session's options and `req.session` API. Switch by changing the import:
 *
 * @example
 * ```ts
 * import { session } from "@tessera/adapter-express";
 * app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true } }));
 * app.get("/", (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1;
 *   res.send(`${req.session.views} views`);
 * });
 * ```
 *
 * As with express-session, `session` is also the default export and carries the classes stores are
 * built on: `session.Store`, `session.MemoryStore`, `session.Cookie`, `session.Session`.
 * @module
 */
import { Cookie } from "./compat/cookie.js";
import { MemoryStore } from "./compat/memory-store.js";
import { Session } from "./compat/session.js";
import { Store } from "./compat/store-base.js";
import { session as createMiddleware, type RequestSession, type SessionMiddleware } from "./middleware.js";
import type { SessionOptions } from "./options.js";
import { scopeToRequest } from "./request-scope.js";

export type { SessionCallback, SessionCookieView, SessionView } from "@tessera/core";
export { isSessionError, memoryStore, migratingStore, SessionError } from "@tessera/core";
export { uninstallHooks } from "./class-hooks.js";
export { Cookie, type CookieData, type CookieInit } from "./compat/cookie.js";
export { MemoryStore } from "./compat/memory-store.js";
export type { RecordCookieAttributes } from "./compat/record-codec.js";
export { type ErrorCallback, Session, type SessionOwnerRequest } from "./compat/session.js";
export { type AnyRecord, type GetCallback, Store, type StoreConstructor, type StoredSession } from "./compat/store-base.js";
export {
  type BridgedStore,
  bridgeStore,
  type ExpressSessionStore,
  isExpressSessionStore,
  type StoreBridgeOptions,
  storeReady,
} from "./compat/store-bridge.js";
export {
  type ExpressSessionCookieFormat,
  type ExpressSessionSecret,
  expressSessionCookie,
} from "./express-session-cookie.js";
export type { NextFunction, RequestSession, SessionData, SessionMiddleware, SessionRequest } from "./middleware.js";
export {
  DEFAULT_COOKIE_NAME,
  type ExpressCookieOptions,
  type ExpressSecretRotation,
  type RequestFunction,
  type SessionOptions,
} from "./options.js";

/** `session(options)` with express-session's classes attached, as `require("express-session")` has them. */
export interface SessionFunction {
  (options: SessionOptions): SessionMiddleware;
  /** express-session's store base class: `util.inherits(MyStore, session.Store)` or `class extends session.Store`. */
  readonly Store: typeof Store;
  /** express-session's in-process store; given to `session({ store })` it runs through the store bridge. */
  readonly MemoryStore: typeof MemoryStore;
  /** express-session's cookie object. */
  readonly Cookie: typeof Cookie;
  /** express-session's session object (what a store's `createSession` builds). */
  readonly Session: typeof Session;
}

/**
 * Creates the middleware. Validates every option now (an unknown name, a misspelling or a bad
 * value throws `INVALID_CONFIG` at startup), except what a `cookie(req)` function returns, which is
 * checked on the request that returns it.
 */
function sessionMiddleware(options: SessionOptions): SessionMiddleware {
  return scopeToRequest(options, createMiddleware);
}

/** The middleware factory, with `Store`, `MemoryStore`, `Cookie` and `Session` attached. */
export const session: SessionFunction = Object.assign(sessionMiddleware, { Store, MemoryStore, Cookie, Session });
export default session;

/**
 * The members the middleware adds to Express's `Request`. Merged through `extends` rather than
 * declared on `Request` itself, so that `@types/express-session` (loaded by connect-redis's and
 * other stores' types) can declare `session` too: its own declaration then wins, instead of a
 * "subsequent property declarations" conflict.
 */
export interface SessionRequestMembers {
  /** The session (see {@link RequestSession}). */
  session: RequestSession;
  /** The session ID, as in express-session. */
  sessionID: string;
}

declare global {
  namespace Express {
    // With @types/express-session also loaded, its `session` is not assignable to ours: TS2430 is
    // reported on the first declaration of `Request` (here, or in a .d.ts skipLibCheck hides).
    // Without it there is no error, so the directive must be one that tolerates none.
    // biome-ignore lint/suspicious/noTsIgnore: the error exists only when @types/express-session is loaded.
    // @ts-ignore
    interface Request extends SessionRequestMembers {}
  }
}
