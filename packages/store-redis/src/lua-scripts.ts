/**
 * The Lua scripts behind every conditional write. Each touches exactly one key, so each is atomic
 * and valid on a Redis Cluster whatever the key's slot. They are sent with EVALSHA; a node that
 * does not have one cached (`NOSCRIPT`: after a restart, a failover or `SCRIPT FLUSH`) gets it
 * with EVAL, which also caches it there (see `script-runner.ts`).
 *
 * Large argument lists are written in chunks: Lua's `unpack` is limited by the C stack.
 * Expiry times are rounded up to whole milliseconds for PEXPIREAT (an injected clock may return
 * fractions); the hash keeps the exact value.
 */
import { createHash } from "node:crypto";
import { FIELD } from "./record-layout.js";

/** A script with its SHA1, as EVALSHA wants it. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function script(name: string, source: string): LuaScript {
  const trimmed = source.trim();
  return { name, source: trimmed, sha: createHash("sha1").update(trimmed).digest("hex") };
}

/** Writes ARGV[from..to] as HSET field/value pairs, 50 pairs per call. */
const HSET_CHUNKS = `
local function hset_range(key, from, to)
  for i = from, to, 100 do
    redis.call('HSET', key, unpack(ARGV, i, math.min(i + 99, to)))
  end
end`;

/**
 * create: only if absent. ARGV[1] = expiresAt (epoch ms), ARGV[2..] = field/value pairs.
 * Returns 1 when written, 0 when the key exists.
 */
export const CREATE = script(
  "create",
  `${HSET_CHUNKS}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
hset_range(KEYS[1], 2, #ARGV)
redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[1])))
return 1`,
);

/**
 * replace: only if present; the whole hash is rewritten. Same arguments as {@link CREATE}.
 * Returns 0 when the key is missing, else `{1, previousOwner or nil}`.
 */
export const REPLACE = script(
  "replace",
  `${HSET_CHUNKS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local previous = redis.call('HGET', KEYS[1], '${FIELD.owner}')
redis.call('DEL', KEYS[1])
hset_range(KEYS[1], 2, #ARGV)
redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[1])))
return {1, previous}`,
);

/**
 * patch and touch: only if present. ARGV[1] = expiresAt, ARGV[2] = lastSeenAt, ARGV[3] = number
 * of data pairs n, ARGV[4 .. 3+2n] = data field/value pairs to set, the rest = data fields to
 * delete. Only the named fields are written. Returns 0 when the key is missing, 1 when written,
 * or `{2, owner}` when written and the owner index entry must be extended past the new expiresAt.
 */
export const UPDATE = script(
  "update",
  `${HSET_CHUNKS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local last = 3 + 2 * tonumber(ARGV[3])
redis.call('HSET', KEYS[1], '${FIELD.lastSeenAt}', ARGV[2], '${FIELD.expiresAt}', ARGV[1])
hset_range(KEYS[1], 4, last)
for i = last + 1, #ARGV, 100 do
  redis.call('HDEL', KEYS[1], unpack(ARGV, i, math.min(i + 99, #ARGV)))
end
redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[1])))
local meta = redis.call('HMGET', KEYS[1], '${FIELD.owner}', '${FIELD.ownerIndexUntil}')
if meta[1] and (tonumber(meta[2]) or 0) < tonumber(ARGV[1]) then return {2, meta[1]} end
return 1`,
);

/**
 * After the owner index entry was extended: records the new horizon, only if the session still
 * exists and only upwards. ARGV[1] = ownerIndexUntil.
 */
export const MARK_INDEXED = script(
  "mark-indexed",
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if (tonumber(redis.call('HGET', KEYS[1], '${FIELD.ownerIndexUntil}')) or 0) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], '${FIELD.ownerIndexUntil}', ARGV[1])
end
return 1`,
);

/**
 * destroy: deletes the hash. Returns `{removed, owner or nil}`, where `removed` is DEL's count: 1
 * when a record was there, 0 when none.
 */
export const DESTROY = script(
  "destroy",
  `
local owner = redis.call('HGET', KEYS[1], '${FIELD.owner}')
return {redis.call('DEL', KEYS[1]), owner}`,
);

/** destroy for destroyByOwner: deletes only if the hash still belongs to ARGV[1]. Returns 1 if deleted. */
export const DESTROY_IF_OWNER = script(
  "destroy-if-owner",
  `
if redis.call('HGET', KEYS[1], '${FIELD.owner}') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`,
);

/**
 * Owner index add (KEYS[1] is the owner's sorted set): ARGV[1] = session ID, ARGV[2] = score
 * (epoch ms until which the session may live), ARGV[3] = now. Drops members whose time has
 * passed, adds or raises (never lowers) the member's score, and lets the set expire with its
 * latest member.
 */
export const OWNER_ADD = script(
  "owner-add",
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], top[2])
return 1`,
);

/** Owner index read: drops members whose time has passed (ARGV[1] = now), returns the rest. */
export const OWNER_MEMBERS = script(
  "owner-members",
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)`,
);
