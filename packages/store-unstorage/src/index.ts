/**
 * @tessera/store-unstorage — Tessera sessions in any unstorage (v1) driver. Web-standard APIs
 * only: runs on Node, Cloudflare Workers, Deno and Bun.
 *
 * @example
 * ```ts
 * import { createStorage } from "unstorage";
 * import redisDriver from "unstorage/drivers/redis";
 * import { createSessionManager } from "@tessera/core";
 * import { unstorageStore } from "@tessera/store-unstorage";
 *
 * const storage = createStorage({ driver: redisDriver({ url: process.env.REDIS_URL }) });
 * const sessions = createSessionManager({ secrets: [process.env.SESSION_SECRET], store: unstorageStore(storage) });
 * ```
 * @module
 */
export { DEFAULT_PREFIX } from "./key-layout.js";
export type { UnstorageStoreOptions } from "./options.js";
export type { SetItemOptions, UnstorageLike } from "./storage-like.js";
export { type UnstorageStore, unstorageStore } from "./unstorage-store.js";
