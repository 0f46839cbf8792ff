/** The driver for node-redis (v4, v5 and v6) clients and clusters, through `sendCommand`. */
import type { NodeRedisClientLike, NodeRedisClusterLike } from "./client-types.js";
import type { NodeSender, RedisDriver } from "./driver.js";

export function nodeRedisClientDriver(client: NodeRedisClientLike): RedisDriver {
  const sender: NodeSender = { send: (command, args) => client.sendCommand([command, ...args]) };
  return {
    kind: "node-redis",
    clientKeyPrefix: "",
    send: (_key, command, args) => client.sendCommand([command, ...args]),
    masters: async () => [sender],
    connectionProblem() {
      if (!client.isOpen) return "the client is closed (call `await client.connect()` before use; the store never opens or closes it)";
      if (!client.isReady) return "the client is not connected (reconnecting)";
      return undefined;
    },
  };
}

export function nodeRedisClusterDriver(cluster: NodeRedisClusterLike): RedisDriver {
  return {
    kind: "node-redis-cluster",
    clientKeyPrefix: "",
    send: (key, command, args) => cluster.sendCommand(key, false, [command, ...args]),
    async masters() {
      const nodeClient = cluster.nodeClient as (node: unknown) => NodeRedisClientLike | Promise<NodeRedisClientLike>;
      const clients = await Promise.all(cluster.masters.map((master) => nodeClient.call(cluster, master)));
      return clients.map((client) => ({ send: (command: string, args: string[]) => client.sendCommand([command, ...args]) }));
    },
    connectionProblem() {
      return cluster.isOpen ? undefined : "the cluster client is closed (call `await cluster.connect()` before use)";
    },
  };
}
