/** The driver for ioredis (v5 and v6) `Redis` clients and `Cluster`s, through `call`. */
import type { IORedisClusterLike, IORedisLike } from "./client-types.js";
import type { RedisDriver } from "./driver.js";

/** The `keyPrefix` option ioredis applies to every key argument by itself. */
function keyPrefixOf(client: IORedisLike): string {
  const prefix = (client.options as { keyPrefix?: unknown }).keyPrefix;
  return typeof prefix === "string" ? prefix : "";
}

/**
 * Sends one command. ioredis before 5.9 finds a command's key arguments (for `keyPrefix` and a
 * Cluster's slot) only under its lowercase name, so the name goes out in lowercase.
 */
function call(client: IORedisLike | IORedisClusterLike, command: string, args: string[]): Promise<unknown> {
  return client.call(command.toLowerCase(), args);
}

function problem(status: string): string | undefined {
  return status === "ready" ? undefined : `the client is not connected (status "${status}")`;
}

export function ioredisDriver(client: IORedisLike): RedisDriver {
  return {
    kind: "ioredis",
    clientKeyPrefix: keyPrefixOf(client),
    send: (_key, command, args) => call(client, command, args),
    masters: async () => [{ send: (command, args) => call(client, command, args) }],
    connectionProblem: () => problem(client.status),
  };
}

export function ioredisClusterDriver(cluster: IORedisClusterLike): RedisDriver {
  return {
    kind: "ioredis-cluster",
    clientKeyPrefix: keyPrefixOf(cluster),
    // ioredis computes the slot from the command's key arguments itself.
    send: (_key, command, args) => call(cluster, command, args),
    async masters() {
      return (cluster.nodes("master") as IORedisLike[]).map((node) => ({
        send: (command: string, args: string[]) => call(node, command, args),
      }));
    },
    connectionProblem: () => problem(cluster.status),
  };
}
