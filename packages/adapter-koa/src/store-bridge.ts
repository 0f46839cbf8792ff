/**
 * The store bridge: a koa-session store (`get(key, maxAge, { rolling, ctx })`, `set(key, sess,
 * maxAge, { rolling, changed, ctx })`, `destroy(key, { ctx })`, e.g. koa-redis) or a `ContextStore`
 * class as a Tessera store, over core's `unconditionalStore` (no conditional writes, no per-key
 * writes, no owner index: see its module comment). Records keep koa-session's format, so
 * koa-session can serve them too during a side-by-side migration:
 * `{ ...data, _expire, _maxAge }` (or `_session: true` for a browser-session cookie), with
 * Tessera's metadata under one extra key, `__tessera`.
 */
import { configError, formatMessage, SessionError, type SessionRecord, type Store, unconditionalStore } from "@tessera/core";

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
/** The key holding Tessera's metadata. */
const META_KEY = "__tessera";
const RESERVED = new Set([EXPIRE_KEY, MAX_AGE_KEY, SESSION_KEY, META_KEY]);

/** Tessera's metadata as stored under {@link META_KEY}. */
interface StoredMeta {
  createdAt: number;
  lastSeenAt: number;
  owner?: string;
  rememberMeSeconds?: number;
  /** Data keys named like a reserved key. */
  reserved?: Record<string, unknown>;
}

type Raw = Record<string, unknown>;

function defineData(target: Raw, key: string, value: unknown): void {
  // defineProperty keeps a `__proto__` key as data instead of changing the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const asObject = (value: unknown): Raw | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

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
  const meta: StoredMeta = { createdAt: record.createdAt, lastSeenAt: record.lastSeenAt };
  if (record.owner !== undefined) meta.owner = record.owner;
  if (record.rememberMeSeconds !== undefined) meta.rememberMeSeconds = record.rememberMeSeconds;
  for (const key of Object.keys(record.data)) {
    if (RESERVED.has(key)) {
      meta.reserved ??= {};
      defineData(meta.reserved, key, record.data[key]);
    } else defineData(stored, key, record.data[key]);
  }
  stored[EXPIRE_KEY] = record.expiresAt;
  const persistent = record.rememberMeSeconds === undefined ? persistentByDefault : record.rememberMeSeconds > 0;
  // koa-session reads `_maxAge` as a persistent cookie's lifetime and `_session` as a browser-session one.
  if (persistent) stored[MAX_AGE_KEY] = record.expiresAt - record.lastSeenAt;
  else stored[SESSION_KEY] = true;
  stored[META_KEY] = meta;
  return stored;
}

/**
 * A Tessera record from what a koa-session store's `get` returned (written by Tessera or by
 * koa-session: then its activity comes from `_expire - _maxAge`, the time of its last save).
 */
export function decodeKoaRecord(stored: unknown, now: number, storeName: string): SessionRecord {
  const raw = asObject(stored);
  if (raw === undefined) {
    throw new SessionError("STORE_UNAVAILABLE", formatMessage(storeName, `get returned ${typeof stored}, not a session record.`));
  }
  const meta = asObject(raw[META_KEY]);
  const expiresAt = finite(raw[EXPIRE_KEY]);
  const maxAge = finite(raw[MAX_AGE_KEY]);
  const savedAt = expiresAt !== undefined && maxAge !== undefined ? expiresAt - maxAge : undefined;
  const metaLastSeenAt = finite(meta?.lastSeenAt);
  // The later of the two: koa-session may have saved the session after Tessera did.
  const lastSeenAt =
    metaLastSeenAt !== undefined && savedAt !== undefined ? Math.max(metaLastSeenAt, savedAt) : (metaLastSeenAt ?? savedAt ?? now);
  const createdAt = Math.min(finite(meta?.createdAt) ?? lastSeenAt, lastSeenAt);
  const data: Raw = {};
  for (const key of Object.keys(raw)) if (!RESERVED.has(key)) defineData(data, key, raw[key]);
  const reserved = asObject(meta?.reserved);
  if (reserved !== undefined) for (const key of Object.keys(reserved)) defineData(data, key, reserved[key]);
  const record: SessionRecord = { data, createdAt, lastSeenAt, expiresAt: expiresAt ?? Number.MAX_SAFE_INTEGER };
  if (typeof meta?.owner === "string") record.owner = meta.owner;
  const rememberMeSeconds = finite(meta?.rememberMeSeconds);
  if (rememberMeSeconds !== undefined) record.rememberMeSeconds = rememberMeSeconds;
  else if (meta === undefined && raw[SESSION_KEY] === true) record.rememberMeSeconds = 0;
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
      const stored = asObject(await storeFor(ctx).get(id, maxAge, { rolling, ctx }));
      if (stored === undefined) return null;
      // A record koa-session wrote may outlive its `_expire` in a store without TTL.
      const expiresAt = finite(stored[EXPIRE_KEY]);
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
