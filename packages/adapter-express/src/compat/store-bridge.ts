/**
 * The store bridge: any express-session store (an object with callback `get`/`set`/`destroy`,
 * optionally `all`, `ids`, and `connect`/`disconnect` events) as a Tessera store, over core's
 * `unconditionalStore` (no conditional writes, no per-key writes: see its module comment), reading
 * and writing express-session's record format (see `record-codec.ts`).
 */
import { type OwnedSession, SessionError, type SessionRecord, type Store, unconditionalStore } from "@tessera/core";
import { backendFailure, formatMessage } from "@tessera/core/internal";
import { decodeRecord, encodeRecord, isLiveRecord, type RecordCookieAttributes } from "./record-codec.js";
import type { AnyRecord, StoredSession } from "./store-base.js";

/** What the bridge needs of an express-session store. */
export interface ExpressSessionStore {
  get(sid: string, callback: (error: AnyRecord, session?: AnyRecord) => void): unknown;
  set(sid: string, session: AnyRecord, callback?: (error?: AnyRecord) => void): unknown;
  destroy(sid: string, callback?: (error?: AnyRecord) => void): unknown;
  all?(callback: (error: AnyRecord, sessions?: AnyRecord) => void): unknown;
  ids?(callback: (error: AnyRecord, ids?: AnyRecord) => void): unknown;
  on?(event: "connect" | "disconnect", listener: () => void): unknown;
}

/** Options of {@link bridgeStore}. */
export interface StoreBridgeOptions {
  /** Name in error messages. Default: the store's class name, e.g. `"RedisStore (express-session store)"`. */
  name?: string;
  /**
   * Cookie attributes written into the records Tessera creates, read by express-session when it
   * serves such a session during a side-by-side migration. Default: none (express-session's
   * defaults: `path: "/"`, `httpOnly: true`).
   */
  cookie?: RecordCookieAttributes;
  /**
   * The store drops a record once its `cookie.expires` has passed, without a read from Tessera
   * (true of connect-redis, connect-pg-simple, connect-mongo, memorystore, session-file-store and
   * express-session's MemoryStore). Default `true`; the core checks expiry on every read anyway.
   */
  nativeTtl?: boolean;
  /**
   * List a user's sessions (`listSessions`, `revokeSessions`) by reading every record through the
   * store's `all`: one full scan per call. Default: `true` when the store has `all`.
   */
  ownerIndex?: boolean;
  /**
   * Top-level record keys the store adds for its own bookkeeping, left out of the session data.
   * Default `["__lastAccess"]` (session-file-store's).
   */
  ignoredKeys?: readonly string[];
}

/** A Tessera store backed by an express-session store. */
export interface BridgedStore extends Store {
  /** The express-session store. */
  readonly legacy: ExpressSessionStore;
  /**
   * `false` after the store emitted `disconnect` and until it emits `connect`: the middleware then
   * serves the request without a session, as express-session does.
   */
  readonly ready: boolean;
}

const BRIDGED = Symbol.for("tessera.storeBridge");

/** An object with express-session's store methods (`get`, `set`, `destroy`) and not Tessera's `create`. */
export function isExpressSessionStore(value: unknown): value is ExpressSessionStore {
  if (typeof value !== "object" || value === null) return false;
  const methods = value as Record<string, unknown>;
  return (
    typeof methods.get === "function" &&
    typeof methods.set === "function" &&
    typeof methods.destroy === "function" &&
    typeof methods.create !== "function"
  );
}

/** The bridge `store` is, or `undefined` for a native Tessera store. */
export function bridgeOf(store: Store | undefined): BridgedStore | undefined {
  return store !== undefined && (store as unknown as Record<symbol, unknown>)[BRIDGED] === true ? (store as BridgedStore) : undefined;
}

/** Whether `store` can serve requests now: `false` only for a bridged store that reported `disconnect`. */
export function storeReady(store: Store | undefined): boolean {
  return bridgeOf(store)?.ready !== false;
}

function storeName(legacy: ExpressSessionStore): string {
  const className = (legacy as { constructor?: { name?: unknown } }).constructor?.name;
  return `${typeof className === "string" && className !== "" && className !== "Object" ? className : "store"} (express-session store)`;
}

/** Wraps an express-session store into a Tessera store. */
export function bridgeStore(legacy: ExpressSessionStore, options: StoreBridgeOptions = {}): BridgedStore {
  const name = options.name ?? storeName(legacy);
  const attributes = options.cookie ?? {};
  const ignoredKeys = new Set(options.ignoredKeys ?? ["__lastAccess"]);
  const canList = typeof legacy.all === "function";
  const ownerIndex = options.ownerIndex ?? canList;
  if (ownerIndex && !canList) {
    throw new SessionError("INVALID_CONFIG", formatMessage(name, "`ownerIndex: true` needs a store with an `all()` method."));
  }
  let ready = true;
  legacy.on?.("disconnect", () => {
    ready = false;
  });
  legacy.on?.("connect", () => {
    ready = true;
  });

  /** Runs one callback-style store method as a promise (a store that throws, or calls back twice, is handled). */
  const call = <T>(operation: string, run: (callback: (error: unknown, value?: T) => void) => unknown): Promise<T | undefined> =>
    new Promise<T | undefined>((resolve, reject) => {
      const fail = (error: unknown) => reject(backendFailure(name, operation, error));
      try {
        const returned = run((error, value) => (error ? fail(error) : resolve(value)));
        // connect-redis and other promise-based stores also return a promise: a rejection is a failure.
        if (returned instanceof Promise) returned.catch(fail);
      } catch (error) {
        fail(error);
      }
    });

  const decode = (stored: StoredSession): SessionRecord => decodeRecord(stored, { ignoredKeys, now: Date.now(), storeName: name });

  const readAll = async (): Promise<Array<[string, StoredSession]>> => {
    const all = await call<StoredSession[] | Record<string, StoredSession> | null>("all", (callback) => legacy.all?.(callback));
    if (all == null) return [];
    if (Array.isArray(all)) {
      // connect-redis lists records with their ID added as an `id` key.
      return all.flatMap((entry) => {
        const { id, ...stored } = entry as StoredSession & { id?: unknown };
        return typeof id === "string" ? [[id, stored as StoredSession] as [string, StoredSession]] : [];
      });
    }
    return Object.entries(all);
  };

  const listByOwner = async (owner: string): Promise<OwnedSession[]> => {
    const now = Date.now();
    const owned: OwnedSession[] = [];
    for (const [id, stored] of await readAll()) {
      if (!isLiveRecord(stored, now)) continue;
      const record = decode(stored);
      if (record.owner === owner) owned.push({ id, record });
    }
    return owned;
  };

  const store: BridgedStore & Record<symbol, unknown> = {
    ...unconditionalStore<StoredSession>({
      name,
      nativeTtl: options.nativeTtl ?? true,
      /** The live stored record: a store that keeps a record past its `cookie.expires` (session-file-store) reads as none. */
      async read(id) {
        const stored = await call<StoredSession | null>("get", (callback) =>
          legacy.get(id, (error: unknown, found?: StoredSession | null) => {
            // express-session treats a missing file (session-file-store's ENOENT) as no session.
            if (error && (error as { code?: unknown }).code === "ENOENT") callback(null, null);
            else callback(error, found);
          }),
        );
        return stored != null && isLiveRecord(stored, Date.now()) ? stored : null;
      },
      decode,
      async write(id, record, previous) {
        await call("set", (callback) => legacy.set(id, encodeRecord(record, attributes, previous), callback));
      },
      async remove(id) {
        await call("destroy", (callback) => legacy.destroy(id, callback));
      },
      ...(ownerIndex ? { listByOwner } : {}),
    }),
    [BRIDGED]: true,
    legacy,
    get ready() {
      return ready;
    },
  };
  if (canList || typeof legacy.ids === "function") {
    store.ids = async function* ids() {
      if (canList) {
        // From the records, not the store's key list: a key may outlive its `cookie.expires` by up to a second (connect-redis rounds its TTL up).
        const now = Date.now();
        for (const [id, stored] of await readAll()) if (isLiveRecord(stored, now)) yield id;
        return;
      }
      yield* (await call<string[] | null>("ids", (callback) => legacy.ids?.(callback))) ?? [];
    };
  }
  return store;
}
