/**
 * `unconditionalStore`: a Tessera store over a backend that only has plain `get`, `set` and
 * `destroy` (another session library's store), with the capabilities such a backend honestly has.
 *
 * What it gives up, because the backend has no conditional writes:
 * - `create`, `replace` and `touch` are a read followed by an unconditional write, so a write racing
 *   a destroy can bring the record back until it expires (`atomicConditionalWrites: false`);
 * - every write rewrites the whole record (`patch: false`), so of two concurrent requests that change
 *   different keys, the last one to commit wins;
 * - there is no owner index (`ownerIndex: false`) unless the backend can list a user's sessions.
 */
import { formatMessage, SessionError } from "./errors.js";
import type { OwnedSession, SessionActivity, SessionRecord, Store, StoreCapabilities } from "./store.js";

/** Why {@link UnconditionalBackend.write} is called. */
export type WriteKind = "create" | "replace" | "touch";

/** The backend, in the backend's own record type `Raw`. */
export interface UnconditionalBackend<Raw> {
  /** Name in error messages, e.g. `"RedisStore (koa-session store)"`. */
  readonly name: string;
  /** The backend drops a record by itself once it expires (a TTL given to `write`). */
  readonly nativeTtl: boolean;
  /** The live stored record, or `null` (an expired one the backend still holds reads as `null`). */
  read(id: string): Promise<Raw | null>;
  /** The Tessera record a stored one holds. Throws a `SessionError` for a malformed one. */
  decode(raw: Raw): SessionRecord;
  /**
   * Stores `record` under `id`, unconditionally. `previous` is what `read` returned just before (or
   * `null`); `kind` says why: `"touch"` changes only `lastSeenAt`/`expiresAt`, not the data.
   */
  write(id: string, record: SessionRecord, previous: Raw | null, kind: WriteKind): Promise<void>;
  /** Removes the record under `id`; idempotent. */
  remove(id: string): Promise<void>;
  /**
   * Optional: the live sessions of `owner` (a scan, when the backend can list its records). With it
   * the store declares `ownerIndex` and removes a user's sessions through `remove`.
   */
  listByOwner?(owner: string): Promise<OwnedSession[]>;
}

/** The failure of one backend call as a `SessionError` (`STORE_UNAVAILABLE`, original in `cause`). */
export function backendFailure(name: string, operation: string, cause: unknown): SessionError {
  if (cause instanceof SessionError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SessionError("STORE_UNAVAILABLE", formatMessage(name, `${operation} failed: ${detail}`), { cause });
}

/** Builds the store; add `ids` to the result when the backend can list. */
export function unconditionalStore<Raw>(backend: UnconditionalBackend<Raw>): Store {
  const capabilities: StoreCapabilities = Object.freeze({
    patch: false,
    // A read and a write of the whole record: a backend's own "touch" may refresh only its TTL,
    // while the core's idle timeout reads `lastSeenAt` back.
    touch: true,
    ownerIndex: backend.listByOwner !== undefined,
    nativeTtl: backend.nativeTtl,
    atomicConditionalWrites: false,
  });
  const guarded = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw backendFailure(backend.name, operation, error);
    }
  };
  const read = (id: string) => guarded("get", () => backend.read(id));
  const write = (id: string, record: SessionRecord, previous: Raw | null, kind: WriteKind) =>
    guarded("set", () => backend.write(id, record, previous, kind));
  const remove = (id: string) => guarded("destroy", () => backend.remove(id));
  const store: Store = {
    name: backend.name,
    capabilities,
    async get(id) {
      const raw = await read(id);
      return raw === null ? null : backend.decode(raw);
    },
    async create(id, record) {
      if ((await read(id)) !== null) return false;
      await write(id, record, null, "create");
      return true;
    },
    async replace(id, record) {
      const previous = await read(id);
      if (previous === null) return false;
      await write(id, record, previous, "replace");
      return true;
    },
    async touch(id, activity: SessionActivity) {
      const previous = await read(id);
      if (previous === null) return false;
      await write(id, { ...backend.decode(previous), ...activity }, previous, "touch");
      return true;
    },
    async destroy(id) {
      const previous = await read(id);
      await remove(id);
      return previous !== null;
    },
  };
  if (backend.listByOwner !== undefined) {
    const listByOwner = (owner: string) => guarded("listByOwner", async () => (await backend.listByOwner?.(owner)) ?? []);
    store.listByOwner = listByOwner;
    store.destroyByOwner = async (owner, { except } = {}) => {
      let removed = 0;
      for (const { id } of await listByOwner(owner)) {
        if (id === except) continue;
        await remove(id);
        removed++;
      }
      return removed;
    };
  }
  return store;
}
