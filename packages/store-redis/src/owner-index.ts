/**
 * The per-owner index: one sorted set per owner at `<prefix>owner:{<owner>}`, members are session
 * IDs, each scored with a time until which that session may live. It sits in another slot than
 * the sessions on a Cluster, so it is kept in step with separate single-key commands, ordered so
 * that a failure between two of them leaves an extra (stale) member, never a missing one:
 *
 * - an entry is added (or its score raised) BEFORE the session is written with that owner;
 * - an entry is removed AFTER the session is deleted or moved to another owner;
 * - a write that moves a session's `expiresAt` past its score raises the score first
 *   (the session hash remembers the score in `ownerIndexUntil`, so this happens about once per
 *   idle window, not on every request).
 *
 * Stale members are never trusted: listing reads each session and keeps only those whose `owner`
 * field still names this owner; members whose score has passed are dropped by every index
 * command, and the set itself expires with its latest member.
 */
import type { RedisDriver } from "./driver.js";
import type { KeyLayout } from "./key-layout.js";
import { OWNER_ADD, OWNER_MEMBERS } from "./lua-scripts.js";
import { runScript, scriptArgs } from "./script-runner.js";

/**
 * The score of a session in its owner's index: its expiry plus the same span again, so the entry
 * needs raising only after the session has been active for about one more idle window.
 */
export function ownerIndexUntil(expiresAt: number, lastSeenAt: number): number {
  // Whole milliseconds: the set's PEXPIREAT takes its highest score.
  return Math.ceil(expiresAt + Math.max(0, expiresAt - lastSeenAt));
}

export interface OwnerIndex {
  /** Adds `id` under `owner` with score `until` (raising, never lowering, an existing score). */
  add(owner: string, id: string, until: number): Promise<void>;
  /** Removes `ids` from `owner`'s index. */
  remove(owner: string, ids: readonly string[]): Promise<void>;
  /** The IDs indexed under `owner` whose score has not passed (possibly stale: check each session). */
  members(owner: string): Promise<string[]>;
}

export function ownerIndex(driver: RedisDriver, keys: KeyLayout): OwnerIndex {
  return {
    async add(owner, id, until) {
      const key = keys.owner(owner);
      const args = scriptArgs(OWNER_ADD, key);
      args.push(id, String(until), String(Date.now()));
      await runScript(driver, OWNER_ADD, key, args);
    },
    async remove(owner, ids) {
      if (ids.length === 0) return;
      const key = keys.owner(owner);
      await driver.send(key, "ZREM", [key, ...ids]);
    },
    async members(owner) {
      const key = keys.owner(owner);
      const args = scriptArgs(OWNER_MEMBERS, key);
      args.push(String(Date.now()));
      const reply = await runScript(driver, OWNER_MEMBERS, key, args);
      return Array.isArray(reply) ? reply.map(String) : [];
    },
  };
}
