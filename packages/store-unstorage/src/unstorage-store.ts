/**
 * `unstorageStore()`: the store port over any unstorage (v1) `Storage`, so sessions can live in
 * whatever unstorage reaches (Redis, Cloudflare KV, Upstash, Vercel KV, Deno KV, the file system,
 * memory, ...). Web-standard APIs only: it runs on Node, Workers, Deno and Bun.
 *
 * One item per session holds the whole record. Per-key items would let a delta write only the
 * changed keys, but reading a session would then need a key listing, which is slow on most drivers
 * (a `SCAN` on Redis) and eventually consistent on Cloudflare KV (a new key may not be listed for up
 * to 60 s): reads could miss data. So `patch` and `touch` read the item, change it, and write it
 * back, serialized per session within the process.
 *
 * What a plain key-value store cannot give, and this store therefore declares
 * (`atomicConditionalWrites: false`): "only if absent" and "only if present" are a read, a check
 * and a write. Within one process they are atomic (a per-session lock); between processes a write
 * racing a destroy can, rarely, bring the record back until it expires, and of two concurrent
 * patches of one session from different processes the later one wins for the whole record.
 * Likewise `destroy` answers from a read before its remove, so two processes destroying one
 * session at once can both answer that they removed a live record.
 */
import {
  isSessionError,
  type OwnedSession,
  type SessionActivity,
  type SessionPatch,
  type Store,
  type StoreCapabilities,
} from "@tessera/core";
import { isSessionIdShape } from "@tessera/core/internal";
import { ttlSeconds } from "./driver-ttl.js";
import { hashOwner, keyLayout, lastSegment } from "./key-layout.js";
import { KeyedLock } from "./keyed-lock.js";
import { resolveUnstorageStoreOptions, type UnstorageStoreOptions } from "./options.js";
import { toStoreError } from "./storage-errors.js";
import type { UnstorageLike } from "./storage-like.js";
import { defineDataKey, parseSession, type StoredSession, serializeSession, toRecord } from "./stored-session.js";

/** An unstorage store: the store port plus maintenance. */
export interface UnstorageStore extends Store {
  patch(id: string, patch: SessionPatch): Promise<boolean>;
  touch(id: string, activity: SessionActivity): Promise<boolean>;
  ids(): AsyncIterable<string>;
  dispose(): Promise<void>;
  /** The normalised key prefix. */
  readonly prefix: string;
  /** The driver recognised under the prefix (`"redis"`, `"fs"`, ...), or undefined. */
  readonly driverName: string | undefined;
  /**
   * Removes every expired session (and stale owner markers) now; resolves how many sessions were
   * removed. Needed only on drivers without native TTL (memory, fs, lru-cache, ...), where expired
   * sessions otherwise stay stored until read: run it from a timer or a cron job.
   */
  prune(): Promise<number>;
}

/** Owner markers written with a TTL live this many times the record's remaining lifetime, so
 * touches (which extend the record a little each time) rarely need to rewrite them. */
const MARKER_LIFETIME_FACTOR = 2;
/** Value of an owner marker; only its key matters. */
const MARKER_VALUE = "1";

/** A JSON deep copy, taken when a call starts so later mutation by the caller cannot leak in. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Creates a store over an unstorage `Storage`. The store never disposes the storage. */
export function unstorageStore(storage: UnstorageLike, options: UnstorageStoreOptions = {}): UnstorageStore {
  const { prefix, driverName, nativeTtl, ownerIndex, now } = resolveUnstorageStoreOptions(storage, options);
  const keys = keyLayout(prefix);
  const lock = new KeyedLock();
  const capabilities: StoreCapabilities = Object.freeze({
    patch: true,
    touch: true,
    ownerIndex,
    nativeTtl,
    atomicConditionalWrites: false,
  });

  async function run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw toStoreError(operation, driverName, error);
    }
  }

  async function read(id: string): Promise<StoredSession | null> {
    return parseSession(await storage.getItem(keys.sessionKey(id)));
  }

  /** The stored session if it exists and has not expired. */
  async function readLive(id: string): Promise<StoredSession | null> {
    const stored = await read(id);
    return stored !== null && stored.expiresAt > now() ? stored : null;
  }

  async function writeMarker(ownerHash: string, id: string, next: StoredSession, at: number): Promise<void> {
    if (!nativeTtl) {
      await storage.setItem(keys.ownerMarkerKey(ownerHash, id), MARKER_VALUE);
      return;
    }
    const until = at + MARKER_LIFETIME_FACTOR * Math.max(next.expiresAt - at, 1_000);
    await storage.setItem(keys.ownerMarkerKey(ownerHash, id), MARKER_VALUE, { ttl: ttlSeconds(until, at) });
    next.ownerIndexedUntil = until;
  }

  /**
   * Writes `next` (after `previous`, or as a new session) with its owner marker. The order makes
   * a crash harmless: the new owner's marker is written before the record (a marker without a
   * live record is ignored and cleaned up), the old owner's marker is removed after it.
   */
  async function persist(id: string, next: StoredSession, previous: StoredSession | null): Promise<void> {
    const at = now();
    delete next.ownerIndexedUntil;
    const previousOwner = previous?.owner;
    if (ownerIndex && next.owner !== undefined) {
      const ownerHash = await hashOwner(next.owner);
      if (next.owner !== previousOwner) await writeMarker(ownerHash, id, next, at);
      else if (nativeTtl) {
        const until = previous?.ownerIndexedUntil ?? 0;
        if (until < next.expiresAt) await writeMarker(ownerHash, id, next, at);
        else next.ownerIndexedUntil = until;
      }
    }
    await storage.setItem(keys.sessionKey(id), serializeSession(next), { ttl: ttlSeconds(next.expiresAt, at) });
    if (ownerIndex && previousOwner !== undefined && previousOwner !== next.owner) {
      await storage.removeItem(keys.ownerMarkerKey(await hashOwner(previousOwner), id));
    }
  }

  /** Removes a session and its owner marker (record first, so it never outlives an index entry). */
  async function remove(id: string, stored: StoredSession | null): Promise<void> {
    await storage.removeItem(keys.sessionKey(id));
    if (ownerIndex && stored?.owner !== undefined) await storage.removeItem(keys.ownerMarkerKey(await hashOwner(stored.owner), id));
  }

  /** Under the lock: removes the session if it has expired. Resolves whether it did. */
  async function removeIfExpired(id: string): Promise<boolean> {
    const stored = await read(id);
    if (stored === null || stored.expiresAt > now()) return false;
    await remove(id, stored);
    return true;
  }

  /** The session IDs with a marker under one owner hash. */
  async function markedIds(ownerHash: string): Promise<string[]> {
    const listed = await storage.getKeys(keys.ownerBase(ownerHash));
    const ids = new Set<string>();
    for (const key of listed) {
      const id = lastSegment(key);
      if (isSessionIdShape(id) && key === keys.ownerMarkerKey(ownerHash, id)) ids.add(id);
    }
    return [...ids];
  }

  /** Under the lock: drops the marker of (owner, id) unless a live session of that owner is behind it. */
  async function dropMarkerIfStale(owner: string, ownerHash: string, id: string): Promise<void> {
    const stored = await read(id);
    if (stored !== null && stored.owner === owner && stored.expiresAt > now()) return;
    if (stored !== null && stored.expiresAt <= now()) await remove(id, stored);
    await storage.removeItem(keys.ownerMarkerKey(ownerHash, id));
  }

  async function sessionIds(): Promise<string[]> {
    const listed = await storage.getKeys(keys.sessionBase);
    const ids: string[] = [];
    for (const key of listed) {
      const id = lastSegment(key);
      if (isSessionIdShape(id) && key === keys.sessionKey(id)) ids.push(id);
    }
    return ids;
  }

  const store: UnstorageStore = {
    name: "unstorage",
    capabilities,
    prefix,
    driverName,

    get(id) {
      return run("get", async () => {
        const stored = await read(id);
        if (stored === null) return null;
        if (stored.expiresAt > now()) return toRecord(stored);
        // Expired but still stored (no native TTL, or it has not fired yet): clean it up now.
        await lock.run(id, () => removeIfExpired(id));
        return null;
      });
    },

    create(id, record) {
      const next = jsonCopy(toRecord(record));
      return run("create", () =>
        lock.run(id, async () => {
          const existing = await read(id);
          if (existing !== null && existing.expiresAt > now()) return false;
          await persist(id, next, existing);
          return true;
        }),
      );
    },

    replace(id, record) {
      const next = jsonCopy(toRecord(record));
      return run("replace", () =>
        lock.run(id, async () => {
          const previous = await readLive(id);
          if (previous === null) return false;
          await persist(id, next, previous);
          return true;
        }),
      );
    },

    patch(id, patch) {
      const set = jsonCopy(patch.set);
      const unset = [...patch.unset];
      const { lastSeenAt, expiresAt } = patch;
      return run("patch", () =>
        lock.run(id, async () => {
          const previous = await readLive(id);
          if (previous === null) return false;
          const data = previous.data;
          for (const key of unset) delete data[key];
          for (const key of Object.keys(set)) defineDataKey(data, key, set[key]);
          await persist(id, { ...previous, data, lastSeenAt, expiresAt }, previous);
          return true;
        }),
      );
    },

    touch(id, activity) {
      const { lastSeenAt, expiresAt } = activity;
      return run("touch", () =>
        lock.run(id, async () => {
          const previous = await readLive(id);
          if (previous === null) return false;
          await persist(id, { ...previous, lastSeenAt, expiresAt }, previous);
          return true;
        }),
      );
    },

    destroy(id) {
      // unstorage has no delete that reports what it deleted: read, then remove. Atomic within this
      // process (the lock); two servers destroying one session at once may both answer true.
      return run("destroy", () =>
        lock.run(id, async () => {
          let stored: StoredSession | null = null;
          try {
            stored = await read(id);
          } catch (error) {
            // A driver failure propagates. An item that is not a Tessera session (parseSession's
            // SessionError) is removed all the same; its owner marker, if any, cannot be found
            // from it and is dropped the next time that owner is listed or pruned.
            if (!isSessionError(error)) throw error;
          }
          await remove(id, stored);
          return stored !== null && stored.expiresAt > now();
        }),
      );
    },

    async *ids() {
      let ids: string[];
      try {
        ids = await sessionIds();
      } catch (error) {
        throw toStoreError("ids", driverName, error);
      }
      yield* ids;
    },

    async prune() {
      return run("prune", async () => {
        let removed = 0;
        for (const id of await sessionIds()) {
          if (await lock.run(id, () => removeIfExpired(id))) removed++;
        }
        if (ownerIndex) {
          for (const key of await storage.getKeys(keys.ownerRoot)) {
            const id = lastSegment(key);
            const ownerHash = key.slice(keys.ownerRoot.length + 1, key.length - id.length - 1);
            if (!isSessionIdShape(id) || key !== keys.ownerMarkerKey(ownerHash, id)) continue;
            await lock.run(id, async () => {
              const stored = await read(id);
              const live = stored !== null && stored.expiresAt > now() && stored.owner !== undefined;
              if (live && (await hashOwner(stored.owner as string)) === ownerHash) return;
              await storage.removeItem(key);
            });
          }
        }
        return removed;
      });
    },

    async dispose() {
      // The storage belongs to the app: it is not disposed. Let queued operations finish.
      await lock.settled();
    },
  };

  if (ownerIndex) {
    store.listByOwner = (owner) =>
      run("listByOwner", async () => {
        const ownerHash = await hashOwner(owner);
        const sessions = await Promise.all(
          (await markedIds(ownerHash)).map(async (id): Promise<OwnedSession | null> => {
            const stored = await read(id);
            if (stored !== null && stored.owner === owner && stored.expiresAt > now()) return { id, record: toRecord(stored) };
            await lock.run(id, () => dropMarkerIfStale(owner, ownerHash, id));
            return null;
          }),
        );
        return sessions.filter((session): session is OwnedSession => session !== null);
      });
    store.destroyByOwner = (owner, destroyOptions) =>
      run("destroyByOwner", async () => {
        const ownerHash = await hashOwner(owner);
        let removed = 0;
        for (const id of await markedIds(ownerHash)) {
          if (id === destroyOptions?.except) continue;
          await lock.run(id, async () => {
            const stored = await read(id);
            if (stored !== null && stored.owner === owner && stored.expiresAt > now()) {
              await remove(id, stored);
              removed++;
            } else await dropMarkerIfStale(owner, ownerHash, id);
          });
        }
        return removed;
      });
  }
  return store;
}
