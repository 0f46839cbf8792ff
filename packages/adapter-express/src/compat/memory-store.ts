/**
 * `session.MemoryStore`: express-session's in-process store, for code that constructs it by name.
 * Records are kept as JSON strings and an expired one is dropped when read, as express-session
 * does. Given to `session({ store })` it goes through the store bridge; Tessera's own
 * `memoryStore()` is the faster choice for new code.
 */
import type { ErrorCallback } from "./session.js";
import { type GetCallback, Store, type StoredSession } from "./store-base.js";

/** Callbacks run on a later turn, as express-session's do. */
function later<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (callback) setImmediate(() => callback(...args));
}

/** The live record of `sid`, parsed; removes it when it has expired. */
function readLive(store: MemoryStore, sid: string): StoredSession | undefined {
  const json = store.sessions[sid];
  if (!json) return undefined;
  const stored = JSON.parse(json) as StoredSession;
  const raw = (stored.cookie as { expires?: unknown } | undefined)?.expires;
  const expires = typeof raw === "string" ? new Date(raw) : raw;
  if (expires instanceof Date && expires.valueOf() <= Date.now()) {
    delete store.sessions[sid];
    return undefined;
  }
  return stored;
}

/** express-session's `MemoryStore`. */
export class MemoryStore extends Store {
  /** The records by session ID, as JSON strings. */
  sessions: Record<string, string> = Object.create(null);

  override all(callback: (error: unknown, sessions?: Record<string, StoredSession>) => void): void {
    const sessions: Record<string, StoredSession> = Object.create(null);
    for (const sid of Object.keys(this.sessions)) {
      const stored = readLive(this, sid);
      if (stored) sessions[sid] = stored;
    }
    later(callback, null, sessions);
  }

  override clear(callback?: ErrorCallback): void {
    this.sessions = Object.create(null);
    later(callback);
  }

  override destroy(sid: string, callback?: ErrorCallback): void {
    delete this.sessions[sid];
    later(callback);
  }

  override get(sid: string, callback: GetCallback): void {
    later(callback, null, readLive(this, sid));
  }

  override set(sid: string, session: StoredSession, callback?: ErrorCallback): void {
    this.sessions[sid] = JSON.stringify(session);
    later(callback);
  }

  override length(callback: (error: unknown, length?: number) => void): void {
    this.all((error, sessions) => {
      if (error) return callback(error);
      callback(null, Object.keys(sessions ?? {}).length);
    });
  }

  /** Replaces the stored cookie (and so the expiry) of an existing record; a missing one stays missing. */
  override touch(sid: string, session: StoredSession, callback?: ErrorCallback): void {
    const current = readLive(this, sid);
    if (current) {
      current.cookie = session.cookie;
      this.sessions[sid] = JSON.stringify(current);
    }
    later(callback);
  }
}
