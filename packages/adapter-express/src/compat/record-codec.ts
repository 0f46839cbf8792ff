/**
 * Tessera's session records in express-session's record format, so that Tessera and
 * express-session can share one store: `{ cookie: { originalMaxAge, expires, ... }, ...data }`.
 *
 * - `cookie.expires` is the record's `expiresAt` and `cookie.originalMaxAge` its idle window
 *   (`expiresAt - lastSeenAt`): stores compute their TTL from them (connect-redis, connect-pg-simple,
 *   express-session's MemoryStore from `expires`, memorystore from `maxAge`, session-file-store
 *   from `originalMaxAge`), and express-session slides `expires` by `originalMaxAge` when it saves.
 * - Tessera's metadata rides along under one extra top-level key (core's `FOREIGN_META_KEY`); express-session
 *   copies unknown top-level keys into `req.session` and writes them back, so it survives a request
 *   served by express-session.
 * - A record express-session wrote (no metadata) gets its activity from the cookie: express-session
 *   sets `expires = now + originalMaxAge` on every save, so `expires - originalMaxAge` is when it
 *   last saw the session.
 */
import { SessionError, type SessionRecord } from "@tessera/core";
import {
  asPlainObject,
  decodeForeignRecord,
  encodeForeignData,
  FOREIGN_META_KEY,
  finiteNumber,
  formatMessage,
} from "@tessera/core/internal";
import { Cookie, type CookieInit } from "./cookie.js";
import type { StoredSession } from "./store-base.js";

/** Data keys that express-session's format reserves; Tessera keeps such keys inside its metadata. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["cookie", FOREIGN_META_KEY]);

/** Cookie attributes written into records Tessera creates (express-session reads them back). */
export interface RecordCookieAttributes {
  path?: string;
  httpOnly?: boolean;
  domain?: string;
  secure?: boolean;
  sameSite?: boolean | "lax" | "strict" | "none";
  partitioned?: boolean;
  priority?: "low" | "medium" | "high";
}

/** Cookie attributes kept from an existing record when Tessera rewrites it. */
const ATTRIBUTE_NAMES = ["path", "httpOnly", "domain", "secure", "sameSite", "partitioned", "priority"] as const;

function epochMs(value: unknown): number | undefined {
  if (value instanceof Date) return finiteNumber(value.valueOf());
  if (typeof value === "string") return finiteNumber(Date.parse(value));
  return undefined;
}

/**
 * The record to hand to an express-session store's `set`. `previous` is the stored record being
 * replaced: its cookie attributes (written by express-session or by Tessera) are kept.
 */
export function encodeRecord(record: SessionRecord, attributes: RecordCookieAttributes, previous?: StoredSession | null): StoredSession {
  const init: CookieInit = { ...attributes };
  const previousCookie = asPlainObject(previous?.cookie);
  if (previousCookie !== undefined) {
    for (const name of ATTRIBUTE_NAMES) {
      if (previousCookie[name] !== undefined) (init as Record<string, unknown>)[name] = previousCookie[name];
    }
  }
  const cookie = new Cookie(init);
  cookie.expires = new Date(record.expiresAt);
  cookie.originalMaxAge = record.expiresAt - record.lastSeenAt;

  const stored = { cookie } as StoredSession;
  stored[FOREIGN_META_KEY] = encodeForeignData(record, stored, RESERVED_KEYS);
  return stored;
}

/** Options of {@link decodeRecord}. */
export interface DecodeOptions {
  /** Top-level keys a store adds for itself (not session data). */
  readonly ignoredKeys: ReadonlySet<string>;
  /** Epoch ms now, for a record that says nothing about its activity. */
  readonly now: number;
  /** The store's name, for the error on a malformed record. */
  readonly storeName: string;
}

/** A Tessera record from what an express-session store's `get` returned (written by Tessera or by express-session). */
export function decodeRecord(stored: unknown, options: DecodeOptions): SessionRecord {
  const raw = asPlainObject(stored);
  if (raw === undefined) {
    throw new SessionError(
      "STORE_UNAVAILABLE",
      formatMessage(options.storeName, `get returned ${Array.isArray(stored) ? "an array" : typeof stored}, not a session record.`),
    );
  }
  const cookie = asPlainObject(raw.cookie) ?? {};
  const expiresAt = epochMs(cookie.expires);
  const originalMaxAge = finiteNumber(cookie.originalMaxAge);
  // express-session sets `expires = now + originalMaxAge` on every save.
  const savedAt = expiresAt !== undefined && originalMaxAge !== undefined ? expiresAt - originalMaxAge : undefined;
  const isDataKey = (key: string): boolean => !RESERVED_KEYS.has(key) && !options.ignoredKeys.has(key);
  return decodeForeignRecord(raw, isDataKey, { expiresAt, savedAt, now: options.now });
}

/** Whether a stored record is still live by its own `cookie.expires` (the store may not have dropped it yet). */
export function isLiveRecord(stored: StoredSession, now: number): boolean {
  const expiresAt = epochMs(asPlainObject(stored.cookie)?.expires);
  return expiresAt === undefined || expiresAt > now;
}
