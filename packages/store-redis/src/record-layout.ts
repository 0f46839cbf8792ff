/**
 * How a session is laid out in Redis: one hash per session, metadata fields plus one field per
 * top-level data key, so a delta writes (HSET/HDEL) only the keys that changed.
 *
 * - Data fields are the data key behind {@link DATA_FIELD_PREFIX} (`:cart`), the value its JSON.
 * - Metadata fields never start with that prefix, so no data key can collide with them.
 */

/** Prefix of every data field. No metadata field starts with it. */
export const DATA_FIELD_PREFIX = ":";

/** Metadata field names (written by the Lua scripts too). */
export const FIELD = {
  createdAt: "createdAt",
  lastSeenAt: "lastSeenAt",
  expiresAt: "expiresAt",
  owner: "owner",
  rememberMeSeconds: "rememberMeSeconds",
  /**
   * Epoch ms until which the owner index is known to keep this session (its score there). A write
   * that moves `expiresAt` past it extends the index entry first (see `owner-index.ts`).
   */
  ownerIndexUntil: "ownerIndexUntil",
} as const;
