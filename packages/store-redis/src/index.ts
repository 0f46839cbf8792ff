/**
 * @tessera/store-redis — Tessera sessions in Redis (standalone or Cluster) through node-redis
 * (v4/v5/v6) or ioredis (v5/v6).
 *
 * @example
 * ```ts
 * import { createSessionManager } from "@tessera/core";
 * import { redisStore } from "@tessera/store-redis";
 * import { createClient } from "redis";
 *
 * const secret = process.env.SESSION_SECRET;
 * if (!secret) throw new Error("SESSION_SECRET is not set");
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const sessions = createSessionManager({ secrets: [secret], store: redisStore({ client }) });
 * ```
 * @module
 */
export type { IORedisClusterLike, IORedisLike, NodeRedisClientLike, NodeRedisClusterLike, RedisClientLike } from "./client-types.js";
export type { ClientKind } from "./driver.js";
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_PREFIX,
  DEFAULT_SCAN_COUNT,
  type RedisStoreOptions,
} from "./options.js";
export { type RedisStore, redisStore } from "./redis-store.js";
