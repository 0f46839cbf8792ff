/**
 * @tessera/test-redis — throwaway Redis servers for tests and benchmarks (private package).
 *
 * @example
 * ```ts
 * import { startRedisServer, startRedisCluster } from "@tessera/test-redis";
 * const server = await startRedisServer();   // server.url: redis://127.0.0.1:<random port>
 * const cluster = await startRedisCluster(); // cluster.urls: one per master
 * await Promise.all([server.stop(), cluster.stop()]);
 * ```
 * @module
 */
export { findFreePort, isPortFree } from "./free-port.js";
export { guardProcess, releaseProcess } from "./process-guard.js";
export { type RedisCluster, type StartRedisClusterOptions, startRedisCluster } from "./redis-cluster.js";
export { type RedisServer, type StartRedisServerOptions, startRedisServer } from "./redis-server.js";
export { type RedisCommandOptions, RespErrorReply, type RespValue, redisCommand } from "./resp.js";
