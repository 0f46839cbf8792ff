/** Converts between a `SessionRecord` and the fields of its Redis hash (see `record-layout.ts`). */
import type { SessionRecord } from "@tessera/core";
import { storeError } from "./messages.js";
import { DATA_FIELD_PREFIX, FIELD } from "./record-layout.js";

/**
 * Appends the hash fields of `record` to `out` as field/value pairs. Data keys whose value JSON
 * cannot represent (`undefined`, functions) are left out, as `JSON.stringify` does for objects.
 */
export function pushRecordFields(out: string[], record: SessionRecord, ownerIndexUntil: number | undefined): void {
  out.push(
    FIELD.createdAt,
    String(record.createdAt),
    FIELD.lastSeenAt,
    String(record.lastSeenAt),
    FIELD.expiresAt,
    String(record.expiresAt),
  );
  if (record.owner !== undefined) out.push(FIELD.owner, record.owner);
  if (record.rememberMeSeconds !== undefined) out.push(FIELD.rememberMeSeconds, String(record.rememberMeSeconds));
  if (ownerIndexUntil !== undefined) out.push(FIELD.ownerIndexUntil, String(ownerIndexUntil));
  pushDataFields(out, record.data);
}

/** Appends `:key`/JSON pairs for every key of `data`; returns how many pairs it appended. */
export function pushDataFields(out: string[], data: Record<string, unknown>): number {
  let pairs = 0;
  for (const key of Object.keys(data)) {
    const json = JSON.stringify(data[key]);
    if (json === undefined) continue;
    out.push(DATA_FIELD_PREFIX + key, json);
    pairs++;
  }
  return pairs;
}

/** A bulk string as node-redis or ioredis return it (string, or Buffer with a type mapping). */
function text(value: unknown): string {
  return typeof value === "string" ? value : String(value);
}

/** The field/value pairs of an HGETALL reply: an array (RESP2), a Map or an object (RESP3 / transformed). */
function pairsOf(reply: unknown): Array<[string, string]> | string[] {
  if (Array.isArray(reply)) return reply as string[];
  if (reply instanceof Map) return [...reply.entries()].map(([k, v]): [string, string] => [text(k), text(v)]);
  if (typeof reply === "object" && reply !== null) return Object.entries(reply).map(([k, v]): [string, string] => [k, text(v)]);
  return [];
}

function corrupt(key: string, detail: string, cause?: unknown): Error {
  return storeError(
    "STORE_UNAVAILABLE",
    `the hash at ${JSON.stringify(key)} is not a readable Tessera session (${detail}). Is another application writing under the same prefix?`,
    cause,
  );
}

function timestamp(key: string, field: string, value: string | undefined): number {
  const parsed = value === undefined ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed)) throw corrupt(key, `field ${field} is ${value === undefined ? "missing" : JSON.stringify(value)}`);
  return parsed;
}

/** Decodes an HGETALL reply; `null` for a missing (or expired) key. */
export function decodeRecord(reply: unknown, key: string): SessionRecord | null {
  const pairs = pairsOf(reply);
  if (pairs.length === 0) return null;
  const data: Record<string, unknown> = {};
  let createdAt: string | undefined;
  let lastSeenAt: string | undefined;
  let expiresAt: string | undefined;
  let owner: string | undefined;
  let rememberMeSeconds: string | undefined;
  const flat = typeof pairs[0] === "string";
  const count = flat ? pairs.length / 2 : pairs.length;
  for (let i = 0; i < count; i++) {
    let field: string;
    let value: string;
    if (flat) {
      field = text((pairs as string[])[2 * i]);
      value = text((pairs as string[])[2 * i + 1]);
    } else {
      [field, value] = (pairs as Array<[string, string]>)[i] as [string, string];
    }
    if (field.startsWith(DATA_FIELD_PREFIX)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (cause) {
        throw corrupt(key, `data field ${JSON.stringify(field)} is not JSON`, cause);
      }
      // defineProperty: a key such as "__proto__" stays plain data.
      Object.defineProperty(data, field.slice(DATA_FIELD_PREFIX.length), {
        value: parsed,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      continue;
    }
    switch (field) {
      case FIELD.createdAt:
        createdAt = value;
        break;
      case FIELD.lastSeenAt:
        lastSeenAt = value;
        break;
      case FIELD.expiresAt:
        expiresAt = value;
        break;
      case FIELD.owner:
        owner = value;
        break;
      case FIELD.rememberMeSeconds:
        rememberMeSeconds = value;
        break;
      default:
        // ownerIndexUntil and any future bookkeeping field: not part of the record.
        break;
    }
  }
  const record: SessionRecord = {
    data,
    createdAt: timestamp(key, FIELD.createdAt, createdAt),
    lastSeenAt: timestamp(key, FIELD.lastSeenAt, lastSeenAt),
    expiresAt: timestamp(key, FIELD.expiresAt, expiresAt),
  };
  if (owner !== undefined) record.owner = owner;
  if (rememberMeSeconds !== undefined) record.rememberMeSeconds = timestamp(key, FIELD.rememberMeSeconds, rememberMeSeconds);
  return record;
}
