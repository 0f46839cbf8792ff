/**
 * The in-process store: bounded, (approximately) least-recently-used eviction, expired entries
 * reclaimed by a small incremental sweep on every operation (so they go away without being read),
 * and an owner index. Single-process only: with several app processes, each has its own
 * sessions — use a shared store (Redis, MongoDB, ...) there.
 */
import { configError } from "./errors.js";
import type { OwnedSession, SessionActivity, SessionPatch, SessionRecord, Store, StoreCapabilities } from "./store.js";

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions kept. When full, the least recently used session is evicted to make room
   * (approximately: a session read while fewer than `maxEntries / 2` others were created or
   * refreshed after it is not moved, so it is evicted only once that many others have been
   * created or refreshed since it was last read). Default 100000. What a session costs in memory,
   * for sizing this, is measured in `bench/RESULTS.md` (memory-store capacity).
   * @default 100000
   */
  maxEntries?: number;
  /**
   * Entries examined for expiry on each operation. Default 8. Higher reclaims faster at a small
   * per-request cost; `prune()` sweeps everything at once.
   * @default 8
   */
  sweepBatchSize?: number;
  /**
   * The clock, in epoch ms. Default `Date.now`. Pass the manager's clock when faking time.
   * @default Date.now
   */
  now?: () => number;
}

/** A memory store has the store port plus maintenance helpers. */
export interface MemoryStore extends Store {
  patch: NonNullable<Store["patch"]>;
  touch: NonNullable<Store["touch"]>;
  listByOwner: NonNullable<Store["listByOwner"]>;
  destroyByOwner: NonNullable<Store["destroyByOwner"]>;
  ids: NonNullable<Store["ids"]>;
  /** Number of entries held (including expired ones not yet reclaimed). */
  readonly size: number;
  /** Removes every expired entry now; resolves how many were removed. */
  prune(): number;
  /** Removes everything. */
  clear(): void;
}

/**
 * One stored session. `data` went through JSON once on the way in (so it holds exactly what a
 * serializing store would give back), is owned by the store, and is copied on every read.
 */
interface Entry {
  data: Record<string, unknown>;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  owner: string | undefined;
  rememberMeSeconds: number | undefined;
  /** Value of the store's `moves` counter when this entry was last put at the recent end. */
  movedAt: number;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  patch: true,
  touch: true,
  ownerIndex: true,
  nativeTtl: true,
  atomicConditionalWrites: true,
  inProcess: true,
});

/** Sets an own property; "__proto__" becomes an own property too, never the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A deep copy of data that came out of `JSON.parse` (plain objects, arrays, primitives): the same
 * result as parsing its JSON again, about four times faster. Reads copy, so the app can never
 * change what the store holds.
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, copyJson((value as Record<string, unknown>)[key]));
  return out;
}

/** Creates an in-process store. */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw configError("`maxEntries` must be a positive integer.", "memory");
  }
  const sweepBatchSize = options.sweepBatchSize ?? 8;
  if (!Number.isInteger(sweepBatchSize) || sweepBatchSize < 0) {
    throw configError("`sweepBatchSize` must be an integer >= 0.", "memory");
  }
  const now = options.now ?? Date.now;
  /** Insertion order is recency order: creation, and a read that moves it (see `moves`), put an entry at the end. */
  const entries = new Map<string, Entry>();
  const byOwner = new Map<string, Set<string>>();
  /**
   * Counts entries put at the recent end (inserted, or moved by a read). A read moves an entry
   * only when more than half the store was put after it: moving a hot entry on every read
   * (delete + set) leaves a deleted slot in its hash bucket each time, and until the table is
   * compacted every lookup of that bucket walks them all, so a hot session in a crowded store
   * would get slower with every read.
   */
  let moves = 0;
  /** Rolling position of the expiry sweep. */
  let cursor: Iterator<[string, Entry]> | undefined;
  /**
   * Kept across evictions: a fresh iterator would rescan the slots of every entry deleted since
   * the table was last compacted, which made eviction O(n). Entries moved to the end by a read are
   * still ahead of it, so it always yields the least recently used entry.
   */
  let evictionCursor: Iterator<[string, Entry]> | undefined;

  function indexOwner(id: string, owner: string | undefined): void {
    if (owner === undefined) return;
    const ids = byOwner.get(owner);
    if (ids === undefined) byOwner.set(owner, new Set([id]));
    else ids.add(id);
  }

  function unindexOwner(id: string, owner: string | undefined): void {
    if (owner === undefined) return;
    const ids = byOwner.get(owner);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) byOwner.delete(owner);
  }

  function remove(id: string, entry: Entry): void {
    entries.delete(id);
    unindexOwner(id, entry.owner);
  }

  /** Examines the next few entries in a rolling pass and drops the expired ones. */
  function sweep(at: number, budget: number): number {
    let removed = 0;
    for (let i = 0; i < budget; i++) {
      cursor ??= entries.entries();
      const step = cursor.next();
      if (step.done) {
        cursor = undefined;
        break;
      }
      const [id, entry] = step.value;
      if (entry.expiresAt <= at) {
        remove(id, entry);
        removed++;
      }
    }
    return removed;
  }

  /** The live entry for `id` (moved to most recently used), or undefined. */
  function live(id: string, at: number): Entry | undefined {
    const entry = entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= at) {
      remove(id, entry);
      return undefined;
    }
    if (moves - entry.movedAt > entries.size >>> 1) {
      entries.delete(id);
      entries.set(id, entry);
      entry.movedAt = ++moves;
    }
    return entry;
  }

  function toRecord(entry: Entry): SessionRecord {
    const record: SessionRecord = {
      data: copyJson(entry.data) as Record<string, unknown>,
      createdAt: entry.createdAt,
      lastSeenAt: entry.lastSeenAt,
      expiresAt: entry.expiresAt,
    };
    if (entry.owner !== undefined) record.owner = entry.owner;
    if (entry.rememberMeSeconds !== undefined) record.rememberMeSeconds = entry.rememberMeSeconds;
    return record;
  }

  function toEntry(record: SessionRecord, movedAt: number): Entry {
    return {
      data: JSON.parse(JSON.stringify(record.data)) as Record<string, unknown>,
      createdAt: record.createdAt,
      lastSeenAt: record.lastSeenAt,
      expiresAt: record.expiresAt,
      owner: record.owner,
      rememberMeSeconds: record.rememberMeSeconds,
      movedAt,
    };
  }

  function put(id: string, entry: Entry): void {
    entries.set(id, entry);
    indexOwner(id, entry.owner);
    while (entries.size > maxEntries) {
      evictionCursor ??= entries.entries();
      const oldest = evictionCursor.next();
      if (oldest.done) {
        evictionCursor = undefined;
        continue;
      }
      remove(oldest.value[0], oldest.value[1]);
    }
  }

  /** Runs one operation after a sweep step with a single clock reading. */
  function withClock<T>(operation: (at: number) => T): T {
    const at = now();
    if (sweepBatchSize > 0 && entries.size > 0) sweep(at, sweepBatchSize);
    return operation(at);
  }

  return {
    name: "memory",
    capabilities: CAPABILITIES,
    get size() {
      return entries.size;
    },
    async get(id) {
      return withClock((at) => {
        const entry = live(id, at);
        return entry === undefined ? null : toRecord(entry);
      });
    },
    async create(id, record) {
      return withClock((at) => {
        if (live(id, at) !== undefined) return false;
        put(id, toEntry(record, ++moves)); // a new key goes to the recent end
        return true;
      });
    },
    async replace(id, record) {
      return withClock((at) => {
        const previous = live(id, at);
        if (previous === undefined) return false;
        unindexOwner(id, previous.owner);
        put(id, toEntry(record, previous.movedAt)); // same key: the Map keeps its position
        return true;
      });
    },
    async patch(id, patch: SessionPatch) {
      return withClock((at) => {
        const entry = live(id, at);
        if (entry === undefined) return false;
        const data = entry.data;
        for (const key of Object.keys(patch.set)) {
          const json = JSON.stringify(patch.set[key]);
          // A value JSON cannot hold is dropped, as serializing the whole record would drop it.
          if (json === undefined) delete data[key];
          else setOwn(data, key, JSON.parse(json));
        }
        for (const key of patch.unset) delete data[key];
        entry.lastSeenAt = patch.lastSeenAt;
        entry.expiresAt = patch.expiresAt;
        return true;
      });
    },
    async touch(id, activity: SessionActivity) {
      return withClock((at) => {
        const entry = live(id, at);
        if (entry === undefined) return false;
        entry.lastSeenAt = activity.lastSeenAt;
        entry.expiresAt = activity.expiresAt;
        return true;
      });
    },
    async destroy(id) {
      return withClock((at) => {
        const entry = entries.get(id);
        if (entry === undefined) return false;
        remove(id, entry);
        return entry.expiresAt > at;
      });
    },
    async listByOwner(owner) {
      return withClock((at) => {
        const out: OwnedSession[] = [];
        for (const id of [...(byOwner.get(owner) ?? [])]) {
          const entry = entries.get(id);
          if (entry === undefined) continue;
          if (entry.expiresAt <= at) remove(id, entry);
          else out.push({ id, record: toRecord(entry) });
        }
        return out;
      });
    },
    async destroyByOwner(owner, options) {
      const ids = [...(byOwner.get(owner) ?? [])];
      let removed = 0;
      for (const id of ids) {
        if (id === options?.except) continue;
        const entry = entries.get(id);
        if (entry !== undefined) {
          remove(id, entry);
          removed++;
        }
      }
      return removed;
    },
    async *ids() {
      const at = now();
      for (const [id, entry] of [...entries]) if (entry.expiresAt > at) yield id;
    },
    async dispose() {
      entries.clear();
      byOwner.clear();
      cursor = undefined;
      evictionCursor = undefined;
    },
    prune() {
      cursor = undefined;
      const removed = sweep(now(), entries.size);
      cursor = undefined;
      return removed;
    },
    clear() {
      entries.clear();
      byOwner.clear();
      cursor = undefined;
      evictionCursor = undefined;
    },
  };
}
