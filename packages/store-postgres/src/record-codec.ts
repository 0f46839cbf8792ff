/**
 * Converts between a `SessionRecord` and the statement parameters / result columns.
 *
 * `data` is a jsonb object whose values are each the JSON text of one top-level key's value.
 * jsonb itself rejects `\u0000` and unpaired surrogates, reorders object keys and rewrites
 * numbers; holding each value's JSON text keeps every value `JSON.stringify` can produce exactly
 * as written, while `||` and `-` still change one key without touching the others.
 */
import type { SessionRecord } from "@tessera/core";
import { argumentError, storeError } from "./messages.js";

/** Text PostgreSQL cannot hold in a `text` column or a jsonb key. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws `INVALID_ARGUMENT` for a string PostgreSQL cannot store (NUL, unpaired surrogate). */
export function checkStorable(what: string, value: string): void {
  if (value.includes("\u0000") || UNPAIRED_SURROGATE.test(value)) {
    throw argumentError(`${what} ${JSON.stringify(value)} contains U+0000 or an unpaired surrogate, which PostgreSQL text cannot hold.`);
  }
}

/** Epoch ms as the ISO text the SQL casts to timestamptz (millisecond precision). */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The jsonb text for the keys of `data`; keys whose value JSON cannot represent are left out, as `JSON.stringify` does. */
export function encodeData(data: Record<string, unknown>): string {
  const texts: Record<string, string> = {};
  for (const key of Object.keys(data)) {
    const json = JSON.stringify(data[key]);
    if (json === undefined) continue;
    checkStorable("the data key", key);
    // defineProperty: a key such as "__proto__" stays plain data.
    Object.defineProperty(texts, key, { value: json, enumerable: true, writable: true, configurable: true });
  }
  return JSON.stringify(texts);
}

/** The JSON array text of keys to remove. */
export function encodeKeys(keys: readonly string[]): string {
  for (const key of keys) checkStorable("the data key", key);
  return JSON.stringify(keys);
}

/** The five parameters after `id` that write a whole record: data, created, last seen, expires, owner, remember-me. */
export function recordParams(record: SessionRecord): Array<string | null> {
  if (record.owner !== undefined) checkStorable("the owner", record.owner);
  return [
    encodeData(record.data),
    isoTime(record.createdAt),
    isoTime(record.lastSeenAt),
    isoTime(record.expiresAt),
    record.owner ?? null,
    record.rememberMeSeconds === undefined ? null : String(record.rememberMeSeconds),
  ];
}

function corrupt(id: string, detail: string, cause?: unknown): Error {
  return storeError(
    "STORE_UNAVAILABLE",
    `the row of session ${JSON.stringify(id)} is not a readable Tessera session (${detail}). Is another application writing to this table?`,
    cause,
  );
}

function number(id: string, column: string, value: unknown): number {
  const parsed = typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw corrupt(id, `${column} is ${JSON.stringify(value)}`);
  return parsed;
}

function decodeData(id: string, text: unknown): Record<string, unknown> {
  let texts: unknown;
  try {
    texts = JSON.parse(String(text));
  } catch (cause) {
    throw corrupt(id, "data is not JSON", cause);
  }
  if (typeof texts !== "object" || texts === null || Array.isArray(texts)) throw corrupt(id, "data is not an object");
  const data: Record<string, unknown> = {};
  for (const [key, json] of Object.entries(texts)) {
    if (typeof json !== "string") throw corrupt(id, `data key ${JSON.stringify(key)} does not hold JSON text`);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw corrupt(id, `data key ${JSON.stringify(key)} does not hold JSON text`, cause);
    }
    Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return data;
}

/** Decodes the record columns of `row` starting at `offset` (see `RECORD_COLUMNS`). */
export function decodeRecord(id: string, row: readonly unknown[], offset = 0): SessionRecord {
  const [data, createdAt, lastSeenAt, expiresAt, owner, rememberMeSeconds] = row.slice(offset);
  const record: SessionRecord = {
    data: decodeData(id, data),
    createdAt: number(id, "created_at", createdAt),
    lastSeenAt: number(id, "last_seen_at", lastSeenAt),
    expiresAt: number(id, "expires_at", expiresAt),
  };
  if (owner !== null && owner !== undefined) record.owner = String(owner);
  if (rememberMeSeconds !== null && rememberMeSeconds !== undefined)
    record.rememberMeSeconds = number(id, "remember_me_seconds", rememberMeSeconds);
  return record;
}
