/**
 * Filters and update documents for the store's writes, built as plain data so they can be checked
 * without a server.
 *
 * Every write to an existing session matches only a live document (`expiresAt` still ahead): the
 * TTL monitor deletes expired documents only about once a minute, and a write must not revive a
 * session that has already expired, just as it must not recreate a destroyed one.
 */
import type { SessionActivity, SessionPatch } from "@tessera/core";
import { escapeKey } from "./key-escape.js";
import { encodeDataValue } from "./session-document.js";

/** Matches the live document of `id` at `nowMs`. */
export function liveFilter(id: string, nowMs: number): { _id: string; expiresAt: { $gt: Date } } {
  return { _id: id, expiresAt: { $gt: new Date(nowMs) } };
}

/**
 * Whether a document (as `findOneAndDelete` returned it) was live at `nowMs`: the same test as
 * {@link liveFilter}, in JavaScript. A document without a BSON Date `expiresAt` was not written by
 * this store and is not a live session.
 */
export function isLiveDocument(document: { expiresAt?: unknown } | null, nowMs: number): boolean {
  return document !== null && document.expiresAt instanceof Date && document.expiresAt.getTime() > nowMs;
}

/** Matches the document of `id` only if it has expired (and still waits for the TTL monitor). */
export function expiredFilter(id: string, nowMs: number): { _id: string; expiresAt: { $lte: Date } } {
  return { _id: id, expiresAt: { $lte: new Date(nowMs) } };
}

/** The `$set` path of one data key. */
export function dataPath(key: string): string {
  return `data.${escapeKey(key)}`;
}

/** An update document: `$set` always, `$unset` only when something is removed. */
export interface SessionUpdate {
  $set: Record<string, unknown>;
  $unset?: Record<string, "">;
}

/** Refreshes `lastSeenAt` and `expiresAt` only: no data is rewritten. */
export function touchUpdate(activity: SessionActivity): SessionUpdate {
  return { $set: { lastSeenAt: new Date(activity.lastSeenAt), expiresAt: new Date(activity.expiresAt) } };
}

/**
 * `$set` of each changed key, `$unset` of each removed key, plus the activity fields. A key both
 * set and unset (which the core never sends) is set: MongoDB rejects an update that names one path
 * twice.
 */
export function patchUpdate(patch: SessionPatch): SessionUpdate {
  const update = touchUpdate(patch);
  for (const key of Object.keys(patch.set)) update.$set[dataPath(key)] = encodeDataValue(patch.set[key]);
  for (const key of patch.unset) {
    const path = dataPath(key);
    if (Object.hasOwn(update.$set, path)) continue;
    update.$unset ??= {};
    update.$unset[path] = "";
  }
  return update;
}
