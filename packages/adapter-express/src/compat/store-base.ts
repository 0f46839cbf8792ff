/**
 * `session.Store`: express-session's base class for stores. A plain constructor function (not an
 * ES class) because stores written for express-session call it as `Store.call(this, options)`
 * after `util.inherits(MyStore, session.Store)`; `class X extends session.Store` works as well.
 */
import { EventEmitter } from "node:events";
import { Cookie, type CookieInit } from "./cookie.js";
import { type ErrorCallback, Session, type SessionOwnerRequest } from "./session.js";

/** A session record in express-session's format: `{ cookie, ...data }`. */
export interface StoredSession {
  cookie: CookieInit | Cookie;
  [key: string]: unknown;
}

/**
 * A record or an error as stores' own types describe them: express-session's `SessionData` and
 * `any`, or nothing for a JavaScript store. `any` so that every such store fits {@link Store}.
 */
// biome-ignore lint/suspicious/noExplicitAny: stores declare their records and errors in incompatible ways.
export type AnyRecord = any;

/** The callback of `get`: an error, or the record (`null`/`undefined` when there is none). */
export type GetCallback = (error: AnyRecord, session?: AnyRecord) => void;

/** express-session's store API. `get`, `set` and `destroy` are what a store must implement. */
export interface Store extends EventEmitter {
  get(sid: string, callback: GetCallback): void;
  set(sid: string, session: AnyRecord, callback?: (error?: AnyRecord) => void): void;
  destroy(sid: string, callback?: (error?: AnyRecord) => void): void;
  touch?(sid: string, session: AnyRecord, callback?: (error?: AnyRecord) => void): void;
  all?(callback: (error: AnyRecord, sessions?: AnyRecord) => void): void;
  length?(callback: (error: AnyRecord, length?: number) => void): void;
  clear?(callback?: (error?: AnyRecord) => void): void;
  /** Set by express-session's middleware on the store it is given: makes `req.session` a new session. */
  generate?(req: SessionOwnerRequest): void;
  /** Destroys `req.sessionID` and generates a new session (through `generate`). */
  regenerate(req: SessionOwnerRequest, callback: ErrorCallback): void;
  /** Reads `sid` into a {@link Session}; the callback gets nothing when there is none. */
  load(sid: string, callback: (error?: unknown, session?: Session) => void): void;
  /** Makes `req.session` a {@link Session} from a stored record (the cookie becomes a {@link Cookie}). */
  createSession(req: SessionOwnerRequest, session: StoredSession): Session;
}

/** The `Store` constructor: `new`-able, callable as `Store.call(this)`, and extendable. */
export interface StoreConstructor {
  new (options?: unknown): Store;
  (this: unknown, options?: unknown): void;
  readonly prototype: Store;
}

function StoreFunction(this: EventEmitter): void {
  EventEmitter.call(this);
}
Object.setPrototypeOf(StoreFunction.prototype, EventEmitter.prototype);

const methods: Pick<Store, "regenerate" | "load" | "createSession"> & ThisType<Store> = {
  regenerate(req, callback) {
    this.destroy(req.sessionID, (error) => {
      this.generate?.(req);
      callback(error);
    });
  },
  load(sid, callback) {
    this.get(sid, (error, stored) => {
      if (error) return callback(error);
      if (!stored) return callback();
      const req = { sessionID: sid, sessionStore: this };
      callback(undefined, this.createSession(req, stored));
    });
  },
  createSession(req, stored) {
    const { expires, originalMaxAge } = stored.cookie as CookieInit & { expires?: unknown };
    const cookie = new Cookie(stored.cookie as CookieInit);
    // A record read from JSON holds the expiry as an ISO string.
    if (typeof expires === "string") cookie.expires = new Date(expires);
    cookie.originalMaxAge = originalMaxAge ?? null;
    stored.cookie = cookie;
    const created = new Session(req, stored);
    req.session = created;
    return created;
  },
};
for (const [name, value] of Object.entries(methods)) {
  // Non-enumerable, as methods of a class.
  Object.defineProperty(StoreFunction.prototype, name, { value, writable: true, configurable: true, enumerable: false });
}

/** express-session's `Store` base class (an EventEmitter). */
export const Store = StoreFunction as unknown as StoreConstructor;
