/**
 * Options of `unstorageStore()` and their startup validation. Every mistake throws
 * `INVALID_CONFIG` from the factory, before the first request.
 */
import { configError } from "@tessera/core/internal";
import { driverHonoursTtl } from "./driver-ttl.js";
import { normalizePrefix } from "./key-layout.js";
import type { UnstorageLike } from "./storage-like.js";

/** Options of `unstorageStore()`. */
export interface UnstorageStoreOptions {
  /**
   * Namespace of every key the store writes: `<prefix>:s:<id>` for sessions and
   * `<prefix>:o:<owner hash>:<id>` for the owner index. Default `"tessera"`. Change it to share one
   * storage between apps or environments; `:`-separated segments of letters, digits, `_` and `-`.
   * @default "tessera"
   */
  prefix?: string;
  /**
   * Whether the driver deletes items by itself from the `ttl` the store passes to `setItem`
   * (the store always passes it). Default: recognised from the driver's name — `true` for redis,
   * cloudflare-kv-binding, cloudflare-kv-http, upstash, vercel-kv, deno-kv and deno-kv-node,
   * `false` otherwise (memory, fs, lru-cache, ...). Set it when the storage's driver cannot be
   * recognised (a wrapper, a custom driver) and you know it honours `ttl` in seconds. Without
   * native TTL, expired sessions are still never served, but stay stored until read, listed, or
   * removed by `prune()`.
   * @default recognised from the driver's name
   */
  nativeTtl?: boolean;
  /**
   * Keep the owner index (`listByOwner`, `destroyByOwner`, so `listSessions`/`revokeSessions`).
   * Default `true`. It costs one extra small item per session that has an owner, written when the
   * owner is set; turn it off when the app never lists or revokes a user's sessions.
   * @default true
   */
  ownerIndex?: boolean;
  /**
   * The clock, in epoch ms, used for expiry checks and TTLs. Default `Date.now`. Pass the session
   * manager's clock when faking time.
   * @default Date.now
   */
  now?: () => number;
}

/** The options after validation and defaults. */
export interface ResolvedUnstorageStoreOptions {
  readonly prefix: string;
  readonly driverName: string | undefined;
  readonly nativeTtl: boolean;
  readonly ownerIndex: boolean;
  readonly now: () => number;
}

const STORAGE_METHODS = ["getItem", "setItem", "removeItem", "getKeys"] as const;

function fail(message: string): never {
  throw configError(message, "unstorage");
}

/** The name of the driver mounted where `prefix` lives, when the storage can tell. */
function mountedDriverName(storage: UnstorageLike, prefix: string): string | undefined {
  if (typeof storage.getMount !== "function") return undefined;
  const name = storage.getMount(prefix)?.driver?.name;
  return typeof name === "string" ? name : undefined;
}

/** Validates the storage and options, and applies the defaults. */
export function resolveUnstorageStoreOptions(storage: UnstorageLike, options: UnstorageStoreOptions = {}): ResolvedUnstorageStoreOptions {
  if (typeof storage !== "object" || storage === null) {
    fail("unstorageStore() needs an unstorage Storage as its first argument, e.g. createStorage({ driver: redisDriver({ url }) }).");
  }
  const missing = STORAGE_METHODS.filter((method) => typeof (storage as unknown as Record<string, unknown>)[method] !== "function");
  if (missing.length > 0) fail(`the storage has no ${missing.join(", ")}; pass an unstorage Storage from createStorage().`);
  if (typeof options !== "object" || options === null) fail('the options must be an object, e.g. { prefix: "tessera" }.');
  const prefix = normalizePrefix(options.prefix);
  const driverName = mountedDriverName(storage, prefix);
  if (options.nativeTtl !== undefined && typeof options.nativeTtl !== "boolean") {
    fail(`\`nativeTtl\` must be true or false, got ${String(options.nativeTtl)}.`);
  }
  const ownerIndex = options.ownerIndex ?? true;
  if (typeof ownerIndex !== "boolean") fail(`\`ownerIndex\` must be true or false, got ${String(ownerIndex)}.`);
  const now = options.now ?? Date.now;
  if (typeof now !== "function") fail("`now` must be a function returning epoch milliseconds.");
  return { prefix, driverName, nativeTtl: options.nativeTtl ?? driverHonoursTtl(driverName), ownerIndex, now };
}
