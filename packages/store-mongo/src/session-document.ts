/**
 * The shape of a session in MongoDB, and the mapping between it and the core's record.
 *
 * One document per session. `_id` is the session ID, timestamps are BSON Dates (so the TTL index
 * can use `expiresAt`, and the documents read well in a shell), and `data` holds the app's values
 * as ordinary BSON with every key escaped (see `key-escape.ts`), one field per top-level key, so a
 * delta is a `$set`/`$unset` of `data.<key>`.
 */
import { SessionError, type SessionRecord } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";
import { escapeValue, unescapeValue } from "./key-escape.js";

/** A session as stored in the collection. */
export interface MongoSessionDocument {
  /** The session ID (43 base64url characters, as the core generated it). */
  _id: string;
  /** The app's data; top-level and nested keys escaped reversibly. */
  data: Record<string, unknown>;
  createdAt: Date;
  lastSeenAt: Date;
  /** When the record stops being valid; the TTL index deletes the document after it. */
  expiresAt: Date;
  /** Present only when the session has an owner. Indexed. */
  owner?: string;
  /** Present only when the session has a remember-me choice. */
  rememberMeSeconds?: number;
}

/** The document fields a `replaceOne` writes (everything but `_id`). */
export type MongoSessionFields = Omit<MongoSessionDocument, "_id">;

/**
 * The value as the core would read it back from any other store: passed through JSON, so a `Date`
 * becomes its ISO string, `undefined` members disappear and `toJSON()` applies, exactly as with the
 * memory and Redis stores. Then escaped for MongoDB.
 */
export function encodeDataValue(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : escapeValue(JSON.parse(json));
}

/** The `data` field of a document for a record's data. */
export function encodeData(data: Record<string, unknown>): Record<string, unknown> {
  return encodeDataValue(data) as Record<string, unknown>;
}

/** Every field but `_id`, for `replaceOne`. */
export function recordToFields(record: SessionRecord): MongoSessionFields {
  const fields: MongoSessionFields = {
    data: encodeData(record.data),
    createdAt: new Date(record.createdAt),
    lastSeenAt: new Date(record.lastSeenAt),
    expiresAt: new Date(record.expiresAt),
  };
  if (record.owner !== undefined) fields.owner = record.owner;
  if (record.rememberMeSeconds !== undefined) fields.rememberMeSeconds = record.rememberMeSeconds;
  return fields;
}

/** The whole document for `insertOne`. */
export function recordToDocument(id: string, record: SessionRecord): MongoSessionDocument {
  return { _id: id, ...recordToFields(record) };
}

function malformed(field: string): SessionError {
  return new SessionError(
    "STORE_UNAVAILABLE",
    formatMessage("mongodb", `a document in the sessions collection has no valid \`${field}\`; it was not written by this store.`),
  );
}

function epochMs(value: unknown, field: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isFinite(ms)) return ms;
  } else if (typeof value === "number" && Number.isFinite(value)) return value;
  throw malformed(field);
}

/** The core's record for a stored document. Throws `STORE_UNAVAILABLE` for a foreign document. */
export function documentToRecord(document: Partial<MongoSessionDocument>): SessionRecord {
  const data = document.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw malformed("data");
  const record: SessionRecord = {
    data: unescapeValue(data) as Record<string, unknown>,
    createdAt: epochMs(document.createdAt, "createdAt"),
    lastSeenAt: epochMs(document.lastSeenAt, "lastSeenAt"),
    expiresAt: epochMs(document.expiresAt, "expiresAt"),
  };
  if (document.owner !== undefined && document.owner !== null) {
    if (typeof document.owner !== "string") throw malformed("owner");
    record.owner = document.owner;
  }
  if (document.rememberMeSeconds !== undefined && document.rememberMeSeconds !== null) {
    if (typeof document.rememberMeSeconds !== "number") throw malformed("rememberMeSeconds");
    record.rememberMeSeconds = document.rememberMeSeconds;
  }
  return record;
}
