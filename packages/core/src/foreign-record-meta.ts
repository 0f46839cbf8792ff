/**
 * Tessera's metadata inside a record stored in another session library's format (express-session,
 * koa-session), so both libraries can serve the same records during a migration. The foreign format
 * keeps the data at the top level next to its own bookkeeping keys; Tessera adds one key,
 * {@link FOREIGN_META_KEY}, with what the foreign format cannot say (creation time, last activity,
 * owner, remember-me choice) and any data key that collides with a reserved key.
 */
import type { SessionRecord } from "./store.js";

/** The top-level key holding Tessera's metadata in a foreign record. */
export const FOREIGN_META_KEY = "__tessera";

/** Tessera's metadata as stored under {@link FOREIGN_META_KEY}. */
export interface ForeignRecordMeta {
  createdAt: number;
  lastSeenAt: number;
  owner?: string;
  rememberMeSeconds?: number;
  /** Data keys named like a reserved key of the foreign format (or like {@link FOREIGN_META_KEY}). */
  reserved?: Record<string, unknown>;
}

/** What a foreign record's own bookkeeping says about its timing. */
export interface ForeignRecordTimes {
  /** Epoch ms the record expires, or `undefined` for a browser-session record. */
  readonly expiresAt: number | undefined;
  /** Epoch ms the foreign library last saved the record, when its bookkeeping tells. */
  readonly savedAt: number | undefined;
  /** Epoch ms now, for a record that says nothing about its activity. */
  readonly now: number;
}

/** `value` as a plain (non-array) object, or `undefined`. */
export function asPlainObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `value` when it is a finite number, else `undefined`. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function defineData(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty keeps a `__proto__` key as data instead of changing the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Copies `record.data` into `target` (keys in `reservedKeys` go into the metadata instead) and
 * returns the metadata, for the caller to store under {@link FOREIGN_META_KEY} after its own keys.
 */
export function encodeForeignData(
  record: SessionRecord,
  target: Record<string, unknown>,
  reservedKeys: ReadonlySet<string>,
): ForeignRecordMeta {
  const meta: ForeignRecordMeta = { createdAt: record.createdAt, lastSeenAt: record.lastSeenAt };
  if (record.owner !== undefined) meta.owner = record.owner;
  if (record.rememberMeSeconds !== undefined) meta.rememberMeSeconds = record.rememberMeSeconds;
  for (const key of Object.keys(record.data)) {
    const value = record.data[key];
    if (reservedKeys.has(key)) {
      meta.reserved ??= {};
      defineData(meta.reserved, key, value);
    } else defineData(target, key, value);
  }
  return meta;
}

/**
 * The Tessera record in a foreign record `raw` (written by Tessera or by the foreign library): data
 * is every top-level key `isDataKey` accepts plus the reserved-named keys in the metadata.
 */
export function decodeForeignRecord(
  raw: Record<string, unknown>,
  isDataKey: (key: string) => boolean,
  times: ForeignRecordTimes,
): SessionRecord {
  const meta = asPlainObject(raw[FOREIGN_META_KEY]);
  const metaLastSeenAt = finiteNumber(meta?.lastSeenAt);
  const { savedAt } = times;
  // The later of the two: the foreign library may have saved the session after Tessera did.
  const lastSeenAt =
    metaLastSeenAt !== undefined && savedAt !== undefined ? Math.max(metaLastSeenAt, savedAt) : (metaLastSeenAt ?? savedAt ?? times.now);
  const createdAt = Math.min(finiteNumber(meta?.createdAt) ?? lastSeenAt, lastSeenAt);

  const data: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (isDataKey(key)) defineData(data, key, raw[key]);
  const reserved = asPlainObject(meta?.reserved);
  if (reserved !== undefined) for (const key of Object.keys(reserved)) defineData(data, key, reserved[key]);

  // A browser-session record has no expiry of its own: the store's TTL governs it.
  const record: SessionRecord = { data, createdAt, lastSeenAt, expiresAt: times.expiresAt ?? Number.MAX_SAFE_INTEGER };
  if (typeof meta?.owner === "string") record.owner = meta.owner;
  const rememberMeSeconds = finiteNumber(meta?.rememberMeSeconds);
  if (rememberMeSeconds !== undefined) record.rememberMeSeconds = rememberMeSeconds;
  return record;
}
