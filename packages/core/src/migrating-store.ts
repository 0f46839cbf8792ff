/**
 * `migratingStore({ to, from })`: a lazy move from an old store to a new one, without a flag day.
 * A session is moved the first time it is read: a miss in `to` reads `from`, and a live record
 * found there is created in `to` and destroyed in `from`. Everything else goes to `to`.
 *
 * Why the move is safe under overlapping requests:
 * - two first requests of one session both try `to.create`; only one succeeds (only-if-absent), and
 *   the other reads `to` again and returns what the winner moved;
 * - `destroy` removes the record from `from` before `to`, and a mover that then finds the record
 *   already gone from `from` (a logout ran meanwhile) removes its copy from `to` again, so a
 *   logout racing the move never leaves the session behind.
 */
import { configError } from "./errors.js";
import type { OwnedSession, SessionActivity, SessionPatch, SessionRecord, Store, StoreCapabilities } from "./store.js";
import { assertStore } from "./store-validation.js";

/** Options of {@link migratingStore}. */
export interface MigratingStoreOptions {
  /** The new store: every write goes here, and its capabilities are the combined store's. */
  to: Store;
  /** The old store: read on a miss in `to`, and emptied session by session as they are read. */
  from: Store;
  /**
   * Longest a moved record is kept in `to` before its next write, in seconds. A record the old
   * store kept with no expiry of its own (express-session's browser-session cookies) would
   * otherwise never expire in `to` if its user never comes back. Set it to the manager's
   * `absoluteTimeoutSeconds`; the manager's timeouts still decide on every read.
   * @default 2592000 (30 days, the manager's default absolute timeout)
   */
  maxMovedLifetimeSeconds?: number;
  /** The clock, in epoch ms, to tell a live record from an expired one. Pass the manager's clock. @default Date.now */
  now?: () => number;
}

/** What {@link migratingStore} returns. */
export interface MigratingStore extends Store {
  /** The new store. */
  readonly to: Store;
  /** The old store. */
  readonly from: Store;
}

const DEFAULT_MAX_MOVED_LIFETIME_SECONDS = 2_592_000;

/**
 * A store that moves sessions from `from` to `to` as they are read. `listByOwner`/`destroyByOwner`
 * see only `to`: the owners of sessions not yet moved are not listed, nor logged out by
 * `revokeSessions`. Every process must use it (a process still writing only to `from` loses its
 * writes to moved sessions).
 */
export function migratingStore(options: MigratingStoreOptions): MigratingStore {
  if (typeof options !== "object" || options === null) throw configError("migratingStore needs `{ to, from }`.");
  const { to, from } = options;
  assertStore(to);
  assertStore(from);
  if (to === from) throw configError("migratingStore needs two different stores; `to` and `from` are the same object.");
  const maxLifetimeSeconds = options.maxMovedLifetimeSeconds ?? DEFAULT_MAX_MOVED_LIFETIME_SECONDS;
  if (typeof maxLifetimeSeconds !== "number" || !Number.isFinite(maxLifetimeSeconds) || maxLifetimeSeconds <= 0) {
    throw configError(`\`maxMovedLifetimeSeconds\` must be a positive number of seconds, got ${String(maxLifetimeSeconds)}.`);
  }
  const now = options.now ?? Date.now;
  const name = `${to.name} (migrating from ${from.name})`;
  const capabilities: StoreCapabilities = Object.freeze({
    ...to.capabilities,
    inProcess: to.capabilities.inProcess === true && from.capabilities.inProcess === true,
  });

  /** Moves `id` from `from` to `to` if `from` holds it live; resolves what `to` holds afterwards. */
  async function move(id: string): Promise<SessionRecord | null> {
    const old = await from.get(id);
    if (old === null) return null;
    const at = now();
    if (old.expiresAt <= at) {
      // Expired in the old store: not worth moving; removed so a store without native TTL frees it.
      await from.destroy(id);
      return null;
    }
    const record = { ...old, expiresAt: Math.min(old.expiresAt, at + maxLifetimeSeconds * 1000) };
    if (!(await to.create(id, record))) {
      // Another request moved it first: what it moved (and maybe changed since) is the truth.
      return to.get(id);
    }
    if (!(await from.destroy(id))) {
      // Gone from the old store between the read and now: a logout destroyed it. Undo the copy.
      await to.destroy(id);
      return null;
    }
    return record;
  }

  const store: MigratingStore = {
    name,
    capabilities,
    to,
    from,
    async get(id) {
      return (await to.get(id)) ?? move(id);
    },
    create: (id, record) => to.create(id, record),
    replace: (id, record) => to.replace(id, record),
    async destroy(id) {
      // `from` first: see the module comment.
      const removedOld = await from.destroy(id);
      const removedNew = await to.destroy(id);
      return removedOld || removedNew;
    },
  };
  if (to.patch) {
    const patch = to.patch.bind(to);
    store.patch = (id: string, change: SessionPatch) => patch(id, change);
  }
  if (to.touch) {
    const touch = to.touch.bind(to);
    store.touch = (id: string, activity: SessionActivity) => touch(id, activity);
  }
  if (to.listByOwner) {
    const list = to.listByOwner.bind(to);
    store.listByOwner = (owner: string): Promise<OwnedSession[]> => list(owner);
  }
  if (to.destroyByOwner) store.destroyByOwner = to.destroyByOwner.bind(to);
  if (to.ids) {
    const toIds = to.ids.bind(to);
    const fromIds = from.ids?.bind(from);
    store.ids = async function* ids(): AsyncIterable<string> {
      const seen = new Set<string>();
      for await (const id of toIds()) {
        seen.add(id);
        yield id;
      }
      // The sessions not yet moved; one moved meanwhile is listed once.
      if (fromIds) for await (const id of fromIds()) if (!seen.has(id)) yield id;
    };
  }
  store.dispose = async () => {
    await to.dispose?.();
    await from.dispose?.();
  };
  return store;
}
