/**
 * `session.Session`: express-session's session object, as a store's `createSession` builds it
 * from a record. Its methods work through `req.sessionStore`, as in express-session, so a store
 * built on this package's `session` also works under express-session itself.
 */
import type { Cookie } from "./cookie.js";
import type { Store } from "./store-base.js";

/** The request a {@link Session} belongs to: express-session's `req.sessionID`, `req.sessionStore`, `req.session`. */
export interface SessionOwnerRequest {
  sessionID: string;
  sessionStore: Store;
  session?: unknown;
}

/** A callback taking an optional error. */
export type ErrorCallback = (error?: unknown) => void;

/** express-session's `Session`: the record's data as properties, plus `id`, `cookie` and methods. */
export class Session {
  declare readonly id: string;
  declare readonly req: SessionOwnerRequest;
  declare cookie: Cookie;
  [key: string]: unknown;

  constructor(req: SessionOwnerRequest, data?: Record<string, unknown> | null) {
    Object.defineProperty(this, "req", { value: req });
    Object.defineProperty(this, "id", { value: req.sessionID });
    if (typeof data === "object" && data !== null) {
      // Names the session already has (its methods, id, req) are not overwritten by data.
      for (const key in data) {
        if (!(key in this)) this[key] = data[key];
      }
    }
  }

  /** Restarts the cookie's lifetime (`resetMaxAge`). */
  touch(): this {
    return this.resetMaxAge();
  }

  /** Sets `cookie.maxAge` back to `cookie.originalMaxAge`. */
  resetMaxAge(): this {
    this.cookie.maxAge = this.cookie.originalMaxAge;
    return this;
  }

  /** Writes the session to the store now. */
  save(callback?: ErrorCallback): this {
    this.req.sessionStore.set(this.id, this, callback ?? (() => {}));
    return this;
  }

  /** Re-reads the session from the store into a new `req.session`; an error if it is gone. */
  reload(callback: ErrorCallback): this {
    const { req } = this;
    const store = req.sessionStore;
    store.get(this.id, (error, record) => {
      if (error) return callback(error);
      if (!record) return callback(new Error("failed to load session"));
      store.createSession(req, record);
      callback();
    });
    return this;
  }

  /** Removes `req.session` and the stored record. */
  destroy(callback?: ErrorCallback): this {
    delete this.req.session;
    this.req.sessionStore.destroy(this.id, callback);
    return this;
  }

  /** Destroys the record and lets the store generate a new, empty session. */
  regenerate(callback: ErrorCallback): this {
    this.req.sessionStore.regenerate(this.req, callback);
    return this;
  }
}
