/**
 * Tessera's session records in express-session's record format, so that Tessera and
 * express-session can share one store: `{ cookie: { originalMaxAge, expires, ... }, ...data }`.
 *
 * - `cookie.expires` is the record's `expiresAt` and `cookie.originalMaxAge` its idle window
 *   (`expiresAt - lastSeenAt`): stores compute their TTL from them (connect-redis, connect-pg-simple,
 *   express-session's MemoryStore from `expires`, memorystore from `maxAge`, session-file-store
 *   from `originalMaxAge`), and express-session slides `expires` by `originalMaxAge` when it saves.
 * - Tessera's metadata rides along under one extra top-level key ({@link META_KEY}); express-session
 *   copies unknown top-level keys into `req.session` and writes them back, so it survives a request
 *   served by express-session.
 * - A record express-session wrote (no metadata) gets its activity from the cookie: express-session
 *   sets `expires = now + originalMaxAge` on every save, so `expires - originalMaxAge` is when it
 *   last saw the session.
 */
import { formatMessage, SessionError, type SessionRecord } from "@tessera/core";
import { Cookie, type CookieInit } from "./cookie.js";
import type { StoredSession } from "./store-base.js";

/** The top-level key holding Tessera's metadata in a stored record. */
export const META_KEY = "__tessera";

/** Data keys that express-session's format reserves; Tessera keeps such keys inside its metadata. */
const RESERVED_KEYS = new Set(["cookie", META_KEY]);

/** Tessera's metadata as stored under {@link META_KEY}. */
interface StoredMeta {
  createdAt: number;
  lastSeenAt: number;
  owner?: string;
  rememberMeSeconds?: number;
  /** Data keys named like a reserved key (`cookie`, `__tessera`). */
  reserved?: Record<string, unknown>;
}

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

function defineData(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty keeps a `__proto__` key as data instead of changing the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function epochMs(value: unknown): number | undefined {
  if (value instanceof Date) return finite(value.valueOf());
  if (typeof value === "string") return finite(Date.parse(value));
  return undefined;
}

/**
 * The record to hand to an express-session store's `set`. `previous` is the stored record being
 * replaced: its cookie attributes (written by express-session or by Tessera) are kept.
 */
export function encodeRecord(record: SessionRecord, attributes: RecordCookieAttributes, previous?: StoredSession | null): StoredSession {
  const init: CookieInit = { ...attributes };
  const previousCookie = asObject(previous?.cookie);
  if (previousCookie !== undefined) {
    for (const name of ATTRIBUTE_NAMES) {
      if (previousCookie[name] !== undefined) (init as Record<string, unknown>)[name] = previousCookie[name];
    }
  }
  const cookie = new Cookie(init);
  cookie.expires = new Date(record.expiresAt);
  cookie.originalMaxAge = record.expiresAt - record.lastSeenAt;

  const meta: StoredMeta = { createdAt: record.createdAt, lastSeenAt: record.lastSeenAt };
  if (record.owner !== undefined) meta.owner = record.owner;
  if (record.rememberMeSeconds !== undefined) meta.rememberMeSeconds = record.rememberMeSeconds;
  const stored = { cookie } as StoredSession;
  for (const key of Object.keys(record.data)) {
    const value = record.data[key];
    if (RESERVED_KEYS.has(key)) {
      meta.reserved ??= {};
      defineData(meta.reserved, key, value);
    } else defineData(stored, key, value);
  }
  stored[META_KEY] = meta;
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
  const raw = asObject(stored);
  if (raw === undefined) {
    throw new SessionError(
      "STORE_UNAVAILABLE",
      formatMessage(options.storeName, `get returned ${Array.isArray(stored) ? "an array" : typeof stored}, not a session record.`),
    );
  }
  const cookie = asObject(raw.cookie) ?? {};
  const meta = asObject(raw[META_KEY]);
  const expiresAt = epochMs(cookie.expires);
  const originalMaxAge = finite(cookie.originalMaxAge);
  const savedAt = expiresAt !== undefined && originalMaxAge !== undefined ? expiresAt - originalMaxAge : undefined;
  const metaLastSeenAt = finite(meta?.lastSeenAt);
  // The later of the two: express-session may have saved the session after Tessera did.
  const lastSeenAt =
    metaLastSeenAt !== undefined && savedAt !== undefined ? Math.max(metaLastSeenAt, savedAt) : (metaLastSeenAt ?? savedAt ?? options.now);
  const createdAt = Math.min(finite(meta?.createdAt) ?? lastSeenAt, lastSeenAt);

  const data: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (RESERVED_KEYS.has(key) || options.ignoredKeys.has(key)) continue;
    defineData(data, key, raw[key]);
  }
  const reserved = asObject(meta?.reserved);
  if (reserved !== undefined) for (const key of Object.keys(reserved)) defineData(data, key, reserved[key]);

  // A browser-session record of express-session has no expiry: the store's own TTL governs it.
  const record: SessionRecord = { data, createdAt, lastSeenAt, expiresAt: expiresAt ?? Number.MAX_SAFE_INTEGER };
  if (typeof meta?.owner === "string") record.owner = meta.owner;
  const rememberMeSeconds = finite(meta?.rememberMeSeconds);
  if (rememberMeSeconds !== undefined) record.rememberMeSeconds = rememberMeSeconds;
  return record;
}

/** Whether a stored record is still live by its own `cookie.expires` (the store may not have dropped it yet). */
export function isLiveRecord(stored: StoredSession, now: number): boolean {
  const expiresAt = epochMs(asObject(stored.cookie)?.expires);
  return expiresAt === undefined || expiresAt > now;
}
