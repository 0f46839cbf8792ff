/**
 * `redisStore({ client })`: the store port on Redis (standalone or Cluster) through the client the
 * app already has. Hot path: `get` is one HGETALL; `patch`, `touch`, `create` (without owner) are
 * one EVALSHA each.
 */
import type { OwnedSession, SessionActivity, SessionPatch, SessionRecord, Store, StoreCapabilities } from "@tessera/core";
import { createDeadline } from "./deadline.js";
import { driverFor } from "./detect-client.js";
import type { ClientKind } from "./driver.js";
import { keyLayout } from "./key-layout.js";
import { CREATE, DESTROY, DESTROY_IF_OWNER, MARK_INDEXED, REPLACE, UPDATE } from "./lua-scripts.js";
import { configError, STORE_NAME } from "./messages.js";
import { type RedisStoreOptions, resolveOptions } from "./options.js";
import { ownerIndex, ownerIndexUntil } from "./owner-index.js";
import { decodeRecord, pushDataFields, pushRecordFields } from "./record-codec.js";
import { DATA_FIELD_PREFIX } from "./record-layout.js";
import { runScript, scriptArgs } from "./script-runner.js";

/** A Redis store: the whole store port (every optional method included) plus a few read-only facts. */
export interface RedisStore extends Store {
  patch(id: string, patch: SessionPatch): Promise<boolean>;
  touch(id: string, activity: SessionActivity): Promise<boolean>;
  listByOwner(owner: string): Promise<OwnedSession[]>;
  destroyByOwner(owner: string, options?: { except?: string }): Promise<number>;
  ids(): AsyncIterable<string>;
  dispose(): Promise<void>;
  /** The key prefix in use. */
  readonly prefix: string;
  /** Which client was detected: `node-redis`, `node-redis-cluster`, `ioredis` or `ioredis-cluster`. */
  readonly clientKind: ClientKind;
  /** The Redis key of a session's hash (without an ioredis `keyPrefix`). */
  keyFor(id: string): string;
  /** The Redis key of an owner's index (without an ioredis `keyPrefix`). */
  ownerKeyFor(owner: string): string;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  patch: true,
  touch: true,
  ownerIndex: true,
  nativeTtl: true,
  atomicConditionalWrites: true,
});

/** Where the UPDATE script's argument list holds the number of data pairs. */
const UPDATE_PAIR_COUNT_INDEX = 5;

/** The first element of a script's array reply, or the reply itself. */
function status(reply: unknown): number {
  return Number(Array.isArray(reply) ? reply[0] : reply);
}

/** The second element of a script's array reply as a string, if any. */
function secondString(reply: unknown): string | undefined {
  if (!Array.isArray(reply)) return undefined;
  const value = reply[1];
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * Creates a Redis store. Throws `INVALID_CONFIG` at once for a missing or unsupported client or a
 * bad option.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const sessions = createSessionManager({ secrets, store: redisStore({ client, prefix: "myapp:sess:" }) });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== "object" || options === null) {
    throw configError("redisStore() needs an options object: redisStore({ client, prefix? }).");
  }
  const resolved = resolveOptions(options);
  const driver = driverFor(options.client);
  const keys = keyLayout(resolved.prefix, driver.clientKeyPrefix);
  const owners = ownerIndex(driver, keys);
  const run = createDeadline(driver, resolved.commandTimeoutMs);

  /** After a write that moved `expiresAt` past the owner index score: raise the score, then note it. */
  async function extendOwnerEntry(owner: string, id: string, key: string, until: number): Promise<void> {
    await owners.add(owner, id, until);
    const args = scriptArgs(MARK_INDEXED, key);
    args.push(String(until));
    await runScript(driver, MARK_INDEXED, key, args);
  }

  /** patch and touch: one UPDATE script (plus the rare owner index extension). */
  async function update(id: string, activity: SessionActivity, patch: SessionPatch | undefined): Promise<boolean> {
    const key = keys.session(id);
    // [sha, "1", key, expiresAt, lastSeenAt, number of data pairs, ...pairs, ...fields to delete]
    const args = scriptArgs(UPDATE, key);
    args.push(String(activity.expiresAt), String(activity.lastSeenAt), "0");
    if (patch !== undefined) {
      args[UPDATE_PAIR_COUNT_INDEX] = String(pushDataFields(args, patch.set));
      for (const field of patch.unset) args.push(DATA_FIELD_PREFIX + field);
    }
    const reply = await runScript(driver, UPDATE, key, args);
    const result = status(reply);
    if (result === 0) return false;
    const owner = secondString(reply);
    if (result === 2 && owner !== undefined) {
      await extendOwnerEntry(owner, id, key, ownerIndexUntil(activity.expiresAt, activity.lastSeenAt));
    }
    return true;
  }

  /**
   * create and replace, step one: an owned record gets its owner index entry before it is written
   * (so a failure in between leaves a stale entry, never a missing one). Resolves the entry's score.
   */
  async function indexOwnerFirst(id: string, record: SessionRecord): Promise<number | undefined> {
    if (record.owner === undefined) return undefined;
    const until = ownerIndexUntil(record.expiresAt, record.lastSeenAt);
    await owners.add(record.owner, id, until);
    return until;
  }

  /** create and replace, step two: the whole hash in one script. */
  function wholeRecordArgs(script: typeof CREATE, key: string, record: SessionRecord, until: number | undefined): string[] {
    const args = scriptArgs(script, key);
    args.push(String(record.expiresAt));
    pushRecordFields(args, record, until);
    return args;
  }

  return {
    name: STORE_NAME,
    capabilities: CAPABILITIES,
    prefix: resolved.prefix,
    clientKind: driver.kind,
    keyFor: keys.session,
    ownerKeyFor: keys.owner,

    get(id) {
      return run("get", async () => {
        const key = keys.session(id);
        return decodeRecord(await driver.send(key, "HGETALL", [key]), key);
      });
    },

    create(id, record) {
      return run("create", async () => {
        const key = keys.session(id);
        const until = await indexOwnerFirst(id, record);
        return status(await runScript(driver, CREATE, key, wholeRecordArgs(CREATE, key, record, until))) === 1;
      });
    },

    replace(id, record) {
      return run("replace", async () => {
        const key = keys.session(id);
        const until = await indexOwnerFirst(id, record);
        const reply = await runScript(driver, REPLACE, key, wholeRecordArgs(REPLACE, key, record, until));
        if (status(reply) !== 1) return false;
        const previous = secondString(reply);
        if (previous !== undefined && previous !== record.owner) await owners.remove(previous, [id]);
        return true;
      });
    },

    patch(id, patch) {
      return run("patch", () => update(id, patch, patch));
    },

    touch(id, activity) {
      return run("touch", () => update(id, activity, undefined));
    },

    destroy(id) {
      return run("destroy", async () => {
        const key = keys.session(id);
        const reply = await runScript(driver, DESTROY, key, scriptArgs(DESTROY, key));
        const owner = secondString(reply);
        if (owner !== undefined) await owners.remove(owner, [id]);
        // DEL's count is the answer: Redis treats a key as gone once its PEXPIREAT time (the
        // record's expiresAt, rounded up to the millisecond) has passed, so no expired record counts.
        return status(reply) === 1;
      });
    },

    listByOwner(owner) {
      return run("listByOwner", async () => {
        const ids = await owners.members(owner);
        const records = await Promise.all(
          ids.map(async (id) => {
            const key = keys.session(id);
            return decodeRecord(await driver.send(key, "HGETALL", [key]), key);
          }),
        );
        const out: OwnedSession[] = [];
        for (const [i, record] of records.entries()) {
          if (record !== null && record.owner === owner) out.push({ id: ids[i] as string, record });
        }
        return out;
      });
    },

    destroyByOwner(owner, destroyOptions) {
      return run("destroyByOwner", async () => {
        const except = destroyOptions?.except;
        const targets = (await owners.members(owner)).filter((id) => id !== except);
        const results = await Promise.all(
          targets.map((id) => {
            const key = keys.session(id);
            const args = scriptArgs(DESTROY_IF_OWNER, key);
            args.push(owner);
            return runScript(driver, DESTROY_IF_OWNER, key, args);
          }),
        );
        const destroyed = targets.filter((_, i) => status(results[i]) === 1);
        await owners.remove(owner, destroyed);
        return destroyed.length;
      });
    },

    async *ids() {
      const masters = await run("ids", () => driver.masters());
      const seen = new Set<string>();
      for (const node of masters) {
        let cursor = "0";
        do {
          const reply = await run("ids", () =>
            node.send("SCAN", [cursor, "MATCH", keys.scanPattern, "COUNT", String(resolved.scanCount), "TYPE", "hash"]),
          );
          const [next, found] = Array.isArray(reply) ? (reply as [unknown, unknown]) : ["0", []];
          cursor = String(next);
          for (const key of Array.isArray(found) ? found : []) {
            const id = keys.idOfScannedKey(String(key));
            if (id !== undefined && !seen.has(id)) {
              seen.add(id);
              yield id;
            }
          }
        } while (cursor !== "0");
      }
    },

    async dispose() {
      // The store owns no connection and no timer between calls: the client belongs to the app.
    },
  };
}
