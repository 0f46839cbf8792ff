/**
 * Redis Cluster specifics, on a 3-master cluster of this file's own (it flushes scripts): a
 * session's keys stay in one slot and live on the node that owns it; sessions and owner indexes
 * spread over different nodes and still work together (no cross-slot command); ids() scans every
 * master; every node recovers from NOSCRIPT.
 */
import { type RedisCluster, redisCommand, startRedisCluster } from "@tessera/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStore, redisStore } from "../src/index.js";
import { type ClientName, clusterClient, type TestClient, uniquePrefix } from "./clients.js";
import { newId, record } from "./records.js";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const ports = () => cluster.nodes.map((node) => node.port);

async function slotOf(key: string): Promise<number> {
  return Number(await redisCommand(ports()[0] as number, ["CLUSTER", "KEYSLOT", key]));
}

/** The port of the master serving `slot`, from CLUSTER SLOTS. */
async function portServing(slot: number): Promise<number> {
  const ranges = (await redisCommand(ports()[0] as number, ["CLUSTER", "SLOTS"])) as Array<[number, number, [string, number]]>;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no node serves slot ${slot}`);
  return Number(range[2][1]);
}

describe.each<ClientName>(["node-redis v6", "node-redis v5", "node-redis v4", "ioredis v6", "ioredis v5"])(
  "redis cluster layout with %s",
  (clientName) => {
    let connection: TestClient;
    let store: RedisStore;

    beforeAll(async () => {
      connection = await clusterClient(clientName, cluster.urls);
      store = redisStore({ client: connection.client, prefix: uniquePrefix("slots") });
    });
    afterAll(async () => {
      await connection?.close();
    });

    it("puts each session in its ID's hash slot, on the node that serves it, spread over the masters", async () => {
      const ids = Array.from({ length: 30 }, () => newId());
      for (const id of ids) await store.create(id, record({ data: { id } }));
      const usedPorts = new Set<number>();
      for (const id of ids) {
        const key = store.keyFor(id);
        const slot = await slotOf(key);
        expect(slot).toBe(await slotOf(id));
        const port = await portServing(slot);
        usedPorts.add(port);
        expect(await redisCommand(port, ["HGET", key, `:id`])).toBe(JSON.stringify(id));
      }
      expect(usedPorts.size).toBe(3);
      const listed: string[] = [];
      for await (const id of store.ids()) listed.push(id);
      expect(listed.sort()).toEqual([...ids].sort());
    });

    it("keeps an owner's index in the owner's slot and works when it sits on another node than the sessions", async () => {
      const owner = `owner-${newId()}`;
      const ownerPort = await portServing(await slotOf(store.ownerKeyFor(owner)));
      expect(await slotOf(store.ownerKeyFor(owner))).toBe(await slotOf(owner));
      // Sessions until at least one lives on another node than the index.
      const ids: string[] = [];
      let elsewhere = 0;
      while (elsewhere < 2 || ids.length < 4) {
        const id = newId();
        ids.push(id);
        await store.create(id, record({ owner }));
        if ((await portServing(await slotOf(store.keyFor(id)))) !== ownerPort) elsewhere++;
      }
      expect((await store.listByOwner(owner)).map((s) => s.id).sort()).toEqual([...ids].sort());
      const keep = ids[0] as string;
      expect(await store.destroyByOwner(owner, { except: keep })).toBe(ids.length - 1);
      expect((await store.listByOwner(owner)).map((s) => s.id)).toEqual([keep]);
      await store.destroy(keep);
      expect(await store.listByOwner(owner)).toEqual([]);
    });

    it("recovers from NOSCRIPT on every node", async () => {
      const cachedScripts = async (port: number) =>
        Number(/number_of_cached_scripts:(\d+)/.exec(String(await redisCommand(port, ["INFO", "memory"])))?.[1]);
      const ids = Array.from({ length: 30 }, () => newId());
      for (const id of ids) await store.create(id, record({ data: { v: 0 }, owner: `o-${id}` }));
      await Promise.all(ports().map((port) => redisCommand(port, ["SCRIPT", "FLUSH"])));
      for (const port of ports()) expect(await cachedScripts(port)).toBe(0);
      const now = Date.now();
      const results = await Promise.all(
        ids.map((id) => store.patch(id, { set: { v: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 3_600_000 * 3 })),
      );
      expect(results.every(Boolean)).toBe(true);
      for (const id of ids) expect((await store.get(id))?.data).toEqual({ v: 1 });
      // Each node got the scripts it needed again (the sessions are spread over all three).
      for (const port of ports()) expect(await cachedScripts(port)).toBeGreaterThan(0);
    });
  },
);
