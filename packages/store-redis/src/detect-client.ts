/**
 * Tells the supported clients apart by their shape (no import of `redis` or `ioredis`), and
 * rejects anything else at startup with a message that says what to pass.
 */
import type { IORedisClusterLike, IORedisLike, NodeRedisClientLike, NodeRedisClusterLike } from "./client-types.js";
import type { RedisDriver } from "./driver.js";
import { ioredisClusterDriver, ioredisDriver } from "./ioredis-driver.js";
import { configError } from "./messages.js";
import { nodeRedisClientDriver, nodeRedisClusterDriver } from "./node-redis-driver.js";

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}

/** Returns the driver for `client`, or throws `INVALID_CONFIG`. */
export function driverFor(client: unknown): RedisDriver {
  if (typeof client !== "object" || client === null) {
    throw configError(
      "`client` is required: pass a connected node-redis client or cluster (createClient()/createCluster() from `redis`) or an ioredis `Redis`/`Cluster`.",
    );
  }
  const candidate = client as Record<string, unknown>;
  if (isFunction(candidate.call) && typeof candidate.status === "string" && typeof candidate.options === "object") {
    return candidate.isCluster === true && isFunction(candidate.nodes)
      ? ioredisClusterDriver(client as IORedisClusterLike)
      : ioredisDriver(client as IORedisLike);
  }
  if (isFunction(candidate.sendCommand)) {
    if (isFunction(candidate.nodeClient) && "masters" in candidate) return nodeRedisClusterDriver(client as NodeRedisClusterLike);
    if ("isOpen" in candidate && "isReady" in candidate) return nodeRedisClientDriver(client as NodeRedisClientLike);
  }
  throw configError(
    "`client` is not a supported Redis client. Pass a node-redis v4/v5/v6 client or cluster (createClient()/createCluster() from `redis`) or an ioredis v5/v6 `Redis`/`Cluster` instance.",
  );
}
