/**
 * The item a session is stored as: a string, `tessera-session.v1:` followed by the record as JSON.
 *
 * Why a string with a prefix rather than an object: unstorage runs every value it reads through
 * `destr`, which drops `__proto__` keys (with a console warning) to guard against prototype
 * pollution, and would also turn some strings into numbers or booleans. A value that does not look
 * like JSON is returned untouched, so the store parses it itself with `JSON.parse`, which keeps
 * `__proto__` as an ordinary own property. The version in the prefix leaves room for a later format.
 */
import { SessionError, type SessionRecord } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";

/** Marks a Tessera session item, and its format version. */
export const ITEM_PREFIX = "tessera-session.v1:";

/** What is stored: the record plus the store's own bookkeeping. */
export interface StoredSession extends SessionRecord {
  /**
   * Epoch ms until which the owner marker is known to live (it was written with a TTL reaching
   * that far). Only with a driver that honours TTL; absent otherwise. Never returned by `get`.
   */
  ownerIndexedUntil?: number;
}

/** The item text for a stored session. */
export function serializeSession(stored: StoredSession): string {
  return ITEM_PREFIX + JSON.stringify(stored);
}

function malformed(reason: string): SessionError {
  return new SessionError("STORE_UNAVAILABLE", formatMessage("unstorage", `a session item ${reason}; it was not written by this store.`));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Parses an item read from the storage. `null` stays `null`; an `Error` is rethrown; anything
 * foreign throws `STORE_UNAVAILABLE`.
 */
export function parseSession(item: unknown): StoredSession | null {
  if (item === null || item === undefined) return null;
  // unstorage's fs driver resolves a failed read (ENOTDIR, EACCES, ...) with the error object
  // instead of rejecting: report it as the driver failure it is.
  if (item instanceof Error) throw item;
  if (typeof item !== "string" || !item.startsWith(ITEM_PREFIX)) throw malformed("does not start with the Tessera format marker");
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.slice(ITEM_PREFIX.length));
  } catch {
    throw malformed("is not valid JSON");
  }
  const candidate = parsed as Partial<StoredSession> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.data !== "object" ||
    candidate.data === null ||
    Array.isArray(candidate.data) ||
    !isFiniteNumber(candidate.createdAt) ||
    !isFiniteNumber(candidate.lastSeenAt) ||
    !isFiniteNumber(candidate.expiresAt) ||
    (candidate.owner !== undefined && typeof candidate.owner !== "string") ||
    (candidate.rememberMeSeconds !== undefined && !isFiniteNumber(candidate.rememberMeSeconds)) ||
    (candidate.ownerIndexedUntil !== undefined && !isFiniteNumber(candidate.ownerIndexedUntil))
  ) {
    throw malformed("does not have the fields of a session record");
  }
  return candidate as StoredSession;
}

/** The core's record (without the store's bookkeeping). */
export function toRecord(stored: StoredSession): SessionRecord {
  const record: SessionRecord = {
    data: stored.data,
    createdAt: stored.createdAt,
    lastSeenAt: stored.lastSeenAt,
    expiresAt: stored.expiresAt,
  };
  if (stored.owner !== undefined) record.owner = stored.owner;
  if (stored.rememberMeSeconds !== undefined) record.rememberMeSeconds = stored.rememberMeSeconds;
  return record;
}

/** Sets `key` as an own data property, so `__proto__` stays data. */
export function defineDataKey(data: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
}
