import { describe, expect, it } from "vitest";
import { redisCommand, startRedisCluster } from "../src/index.js";

describe("startRedisCluster", () => {
  it("starts 3 masters that cover every slot, and stops them", async () => {
    const cluster = await startRedisCluster();
    try {
      expect(cluster.urls).toHaveLength(3);
      expect(new Set(cluster.nodes.map((n) => n.port)).size).toBe(3);
      for (const server of cluster.servers) {
        const info = String(await server.command("CLUSTER", "INFO"));
        expect(info).toMatch(/cluster_state:ok/);
        expect(info).toMatch(/cluster_slots_assigned:16384/);
        expect(info).toMatch(/cluster_known_nodes:3/);
      }
      // A key lives on exactly one node; the others redirect.
      const answers = await Promise.allSettled(cluster.servers.map((server) => server.command("SET", "some-key", "v")));
      expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      expect(answers.filter((a) => a.status === "rejected" && /MOVED/.test(String(a.reason)))).toHaveLength(2);
    } finally {
      await cluster.stop();
    }
    for (const node of cluster.nodes) {
      await expect(redisCommand(node.port, ["PING"], { timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
    }
  });
});
