/**
 * The store bridge: a koa-session store (`get(key, maxAge, { rolling, ctx })`, `set(key, sess,
 * maxAge, { rolling, changed, ctx })`, `destroy(key, { ctx })`, e.g. koa-redis) or a `ContextStore`
 * class as a Tessera store, over core's `unconditionalStore` (no conditional writes, no per-key
 * writes, no owner index: see its module comment). Records keep koa-session's format, so
 * koa-session can serve them too during a side-by-side migration:
 * `{ ...data, _expire, _maxAge }` (or `_session: true` for a browser-session cookie), with
 * Tessera's metadata under one extra key, `__tessera`.
 */
import { SessionError, type SessionRecord, type Store, unconditionalStore } from "@tessera/core";
import {
  asPlainObject,
  configError,
  decodeForeignRecord,
  encodeForeignData,
  FOREIGN_META_KEY,
  finiteNumber,
  formatMessage,
} from "@tessera/core/internal";

/** What koa-session passes to a store's `get`. */
export interface KoaStoreGetOptions {
  rolling: boolean;
  /** The request's Koa context; `undefined` outside a request (e.g. `manager.revokeSessions`). */
  ctx: unknown;
}

/** A koa-session store. Each method may return a value or a promise. */
export interface KoaSessionStore {
  get(key: string, maxAge: number | "session" | undefined, options: KoaStoreGetOptions): unknown;
  set(
    key: string,
    session: Record<string, unknown>,
    maxAge: number | "session" | undefined,
    options: KoaStoreGetOptions & { changed: boolean },
  ): unknown;
  destroy(key: string, options: { ctx: unknown }): unknown;
}

/** koa-session's `ContextStore`: a class built with the request's context. */
export type ContextStoreClass = new (ctx: unknown) => KoaSessionStore;

/** Options of {@link bridgeKoaStore}. */
export interface KoaStoreBridgeOptions {
  /** The koa-session `maxAge` option, passed to `get` as koa-session does. */
  readonly maxAge: number | "session" | undefined;
  /** The koa-session `rolling` option, passed to every call as koa-session does. */
  readonly rolling: boolean;
  /** Whether a session without a remember-me choice has a persistent cookie (the `maxAge` option). */
  readonly persistentByDefault: boolean;
  /** The context of the request being served, or `undefined`. */
  readonly contextOf: () => object | undefined;
}

/** koa-session's bookkeeping keys in a record. */
const EXPIRE_KEY = "_expire";
const MAX_AGE_KEY = "_maxAge";
const SESSION_KEY = "_session";
const RESERVED: ReadonlySet<string> = new Set([EXPIRE_KEY, MAX_AGE_KEY, SESSION_KEY, FOREIGN_META_KEY]);

type Raw = Record<string, unknown>;

/** True for an object with koa-session's store methods and not Tessera's `create`. */
export function isKoaSessionStore(value: unknown): value is KoaSessionStore {
  const store = value as Partial<Record<string, unknown>> | null;
  return (
    typeof store === "object" &&
    store !== null &&
    typeof store.get === "function" &&
    typeof store.set === "function" &&
    typeof store.destroy === "function" &&
    typeof store.create !== "function"
  );
}

/** Checks a `ContextStore` option as koa-session does. Throws `INVALID_CONFIG`. */
export function assertContextStore(value: unknown): asserts value is ContextStoreClass {
  const prototype = (value as { prototype?: Record<string, unknown> } | null)?.prototype;
  if (typeof value !== "function" || prototype === undefined) {
    throw configError("`ContextStore` must be a class whose instances have get, set and destroy.", "koa");
  }
  for (const method of ["get", "set", "destroy"]) {
    if (typeof prototype[method] !== "function") throw configError(`\`ContextStore.prototype.${method}\` must be a function.`, "koa");
  }
}

/** The record koa-session stores, from a Tessera record. */
export function encodeKoaRecord(record: SessionRecord, persistentByDefault: boolean): Raw {
  const stored: Raw = {};
  const meta = encodeForeignData(record, stored, RESERVED);
  stored[EXPIRE_KEY] = record.expiresAt;
  const persistent = record.rememberMeSeconds === undefined ? persistentByDefault : record.rememberMeSeconds > 0;
  // koa-session reads `_maxAge` as a persistent cookie's lifetime and `_session` as a browser-session one.
  if (persistent) stored[MAX_AGE_KEY] = record.expiresAt - record.lastSeenAt;
  else stored[SESSION_KEY] = true;
  stored[FOREIGN_META_KEY] = meta;
  return stored;
}

/**
 * A Tessera record from what a koa-session store's `get` returned (written by Tessera or by
 * koa-session: then its activity comes from `_expire - _maxAge`, the time of its last save).
 */
export function decodeKoaRecord(stored: unknown, now: number, storeName: string): SessionRecord {
  const raw = asPlainObject(stored);
  if (raw === undefined) {
    throw new SessionError("STORE_UNAVAILABLE", formatMessage(storeName, `get returned ${typeof stored}, not a session record.`));
  }
  const expiresAt = finiteNumber(raw[EXPIRE_KEY]);
  const maxAge = finiteNumber(raw[MAX_AGE_KEY]);
  const savedAt = expiresAt !== undefined && maxAge !== undefined ? expiresAt - maxAge : undefined;
  const record = decodeForeignRecord(raw, (key) => !RESERVED.has(key), { expiresAt, savedAt, now });
  // A browser-session record koa-session wrote (no metadata of Tessera's) keeps its browser-session cookie.
  if (record.rememberMeSeconds === undefined && asPlainObject(raw[FOREIGN_META_KEY]) === undefined && raw[SESSION_KEY] === true) {
    record.rememberMeSeconds = 0;
  }
  return record;
}

function storeName(source: KoaSessionStore | ContextStoreClass, isClass: boolean): string {
  const name = isClass ? (source as { name?: unknown }).name : (source as { constructor?: { name?: unknown } }).constructor?.name;
  const label = typeof name === "string" && name !== "" && name !== "Object" ? name : "store";
  return `${label} (koa-session ${isClass ? "ContextStore" : "store"})`;
}

/**
 * Wraps a koa-session store, or a `ContextStore` class (one instance per request context, as
 * koa-session builds it; one shared instance for calls outside a request), into a Tessera store.
 */
export function bridgeKoaStore(source: KoaSessionStore | ContextStoreClass, options: KoaStoreBridgeOptions): Store {
  const isClass = typeof source === "function";
  const name = storeName(source, isClass);
  const perContext = new WeakMap<object, KoaSessionStore>();
  let outside: KoaSessionStore | undefined;
  const storeFor = (ctx: object | undefined): KoaSessionStore => {
    if (!isClass) return source;
    const Class = source as ContextStoreClass;
    if (ctx === undefined) {
      outside ??= new Class(undefined);
      return outside;
    }
    let store = perContext.get(ctx);
    if (store === undefined) {
      store = new Class(ctx);
      perContext.set(ctx, store);
    }
    return store;
  };
  const { rolling, maxAge } = options;
  return unconditionalStore<Raw>({
    name,
    nativeTtl: true,
    async read(id) {
      const ctx = options.contextOf();
      const stored = asPlainObject(await storeFor(ctx).get(id, maxAge, { rolling, ctx }));
      if (stored === undefined) return null;
      // A record koa-session wrote may outlive its `_expire` in a store without TTL.
      const expiresAt = finiteNumber(stored[EXPIRE_KEY]);
      return expiresAt !== undefined && expiresAt <= Date.now() ? null : stored;
    },
    decode: (raw) => decodeKoaRecord(raw, Date.now(), name),
    async write(id, record, _previous, kind) {
      const ctx = options.contextOf();
      const ttlMs = Math.max(1, record.expiresAt - Date.now());
      await storeFor(ctx).set(id, encodeKoaRecord(record, options.persistentByDefault), ttlMs, { rolling, changed: kind !== "touch", ctx });
    },
    async remove(id) {
      const ctx = options.contextOf();
      await storeFor(ctx).destroy(id, { ctx });
    },
  });
}
