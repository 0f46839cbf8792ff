/**
 * What the store sends to Redis, observed with MONITOR on a server of this file's own: one command
 * per read, one EVALSHA per write carrying only the changed fields, recovery from NOSCRIPT, the
 * owner index bookkeeping, and large argument lists.
 */
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStore, redisStore } from "../src/index.js";
import { type ClientName, standaloneClient, type TestClient, uniquePrefix } from "./clients.js";
import { monitoredServer } from "./monitor.js";
import { newId, record } from "./records.js";

const env = monitoredServer();

describe.each<ClientName>(["node-redis v6", "node-redis v5", "node-redis v4", "ioredis v6", "ioredis v5"])(
  "redis store commands with %s",
  (clientName) => {
    let connection: TestClient;
    let store: RedisStore;

    beforeAll(async () => {
      connection = await standaloneClient(clientName, env.server.url);
      store = redisStore({ client: connection.client, prefix: uniquePrefix("commands") });
      await env.recorder.take();
    });
    afterAll(async () => {
      await connection?.close();
    });

    /** Runs every script once, so that counted commands do not include a first-use NOSCRIPT fallback. */
    async function warmScripts(): Promise<void> {
      const owner = `warm-${newId()}`;
      const id = newId();
      const now = Date.now();
      await store.create(id, record({ owner, lastSeenAt: now, expiresAt: now + 1_000 }));
      await store.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 });
      await store.replace(id, record({ owner }));
      await store.listByOwner?.(owner);
      await store.destroyByOwner?.(owner);
      await store.destroy(id);
      await env.recorder.take();
    }

    it("reads a session with exactly one HGETALL", async () => {
      const id = newId();
      await store.create(id, record({ data: { a: 1, b: { c: [2] } } }));
      await env.recorder.take();
      expect(await store.get(id)).not.toBeNull();
      expect(await store.get(newId())).toBeNull();
      const sent = await env.recorder.take();
      expect(sent.map((c) => c.args[0])).toEqual(["HGETALL", "HGETALL"]);
      expect(sent[0]?.args[1]).toBe(store.keyFor(id));
    });

    it("writes a delta with one EVALSHA that carries only the changed keys", async () => {
      const id = newId();
      const big = "x".repeat(20_000);
      await store.create(id, record({ data: { big, a: 1, b: 2 } }));
      await warmScripts();
      const now = Date.now();
      expect(await store.patch(id, { set: { b: 3 }, unset: ["a"], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      const sent = await env.recorder.take();
      const fromClient = sent.filter((c) => !c.fromScript);
      expect(fromClient).toHaveLength(1);
      const evalsha = fromClient[0]?.args ?? [];
      expect(evalsha[0]).toBe("EVALSHA");
      expect(evalsha).toContain(":b");
      expect(evalsha).toContain("3");
      expect(evalsha).toContain(":a");
      expect(evalsha).not.toContain(":big");
      expect(evalsha.join(" ").length).toBeLessThan(300);
      // Inside the script: the metadata and :b are written, :a deleted, :big untouched.
      const hsetFields = sent
        .filter((c) => c.fromScript && c.args[0] === "HSET")
        .flatMap((c) => c.args.slice(2).filter((_, i) => i % 2 === 0));
      expect(hsetFields.sort()).toEqual([":b", "expiresAt", "lastSeenAt"]);
      expect(sent.filter((c) => c.fromScript && c.args[0] === "HDEL").map((c) => c.args.slice(2))).toEqual([[":a"]]);
      expect((await store.get(id))?.data).toEqual({ big, b: 3 });
    });

    it("touches with one EVALSHA that rewrites no data field", async () => {
      const id = newId();
      await store.create(id, record({ data: { a: "keep" } }));
      await warmScripts();
      const now = Date.now();
      expect(await store.touch?.(id, { lastSeenAt: now, expiresAt: now + 90_000 })).toBe(true);
      const sent = await env.recorder.take();
      expect(sent.filter((c) => !c.fromScript).map((c) => c.args[0])).toEqual(["EVALSHA"]);
      const written = sent.filter((c) => c.fromScript && ["HSET", "HDEL", "DEL"].includes(c.args[0] as string));
      expect(written.map((c) => c.args)).toEqual([
        ["HSET", store.keyFor(id), "lastSeenAt", String(now), "expiresAt", String(now + 90_000)],
      ]);
      const pexpireat = sent.find((c) => c.fromScript && c.args[0] === "PEXPIREAT");
      expect(pexpireat?.args).toEqual(["PEXPIREAT", store.keyFor(id), String(now + 90_000)]);
    });

    it("creates a session without owner with one EVALSHA", async () => {
      await warmScripts();
      expect(await store.create(newId(), record({ data: { n: 1 } }))).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA"]);
    });

    it("destroys with one EVALSHA answering DEL's count, plus one ZREM for an owned session", async () => {
      await warmScripts();
      const plain = newId();
      await store.create(plain, record());
      await env.recorder.take();
      expect(await store.destroy(plain)).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA"]);
      expect(await store.destroy(plain)).toBe(false);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA"]);
      const owner = `destroy-${newId()}`;
      const owned = newId();
      await store.create(owned, record({ owner }));
      await env.recorder.take();
      expect(await store.destroy(owned)).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA", "ZREM"]);
      expect(await env.server.command("ZSCORE", store.ownerKeyFor(owner), owned)).toBeNull();
    });

    it("never counts an expired record: Redis drops a key whose PEXPIREAT time has passed", async () => {
      const owner = `expired-${newId()}`;
      const now = Date.now();
      // Created already expired: PEXPIREAT in the past deletes the key within the script.
      const born = newId();
      const past = { owner, createdAt: now - 60_000, lastSeenAt: now - 60_000, expiresAt: now - 1_000 };
      expect(await store.create(born, record(past))).toBe(true);
      expect(await env.server.command("EXISTS", store.keyFor(born))).toBe(0);
      expect(await store.destroy(born)).toBe(false);
      // Expired while stored: whether or not Redis's expiry cycle has deleted it yet, DEL no longer counts it.
      const aged = newId();
      expect(await store.create(aged, record({ owner, expiresAt: Date.now() + 150 }))).toBe(true);
      expect(await store.get(aged)).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await store.destroy(aged)).toBe(false);
      expect(await store.listByOwner(owner)).toEqual([]);
    });

    it("recovers from NOSCRIPT (SCRIPT FLUSH) with EVAL, then uses EVALSHA again", async () => {
      const id = newId();
      await store.create(id, record({ data: { n: 0 } }));
      await env.server.command("SCRIPT", "FLUSH");
      await env.recorder.take();
      const now = Date.now();
      expect(await store.patch(id, { set: { n: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA", "EVAL"]);
      expect(await store.patch(id, { set: { n: 2 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA"]);
      expect((await store.get(id))?.data).toEqual({ n: 2 });
      // Every script recovers, not only the one used above.
      await env.server.command("SCRIPT", "FLUSH");
      const owner = `flush-${newId()}`;
      const other = newId();
      expect(await store.create(other, record({ owner }))).toBe(true);
      expect(await store.touch?.(other, { lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      expect(await store.replace(other, record({ owner, data: { r: 1 } }))).toBe(true);
      expect((await store.listByOwner?.(owner))?.map((s) => s.id)).toEqual([other]);
      expect(await store.destroyByOwner?.(owner)).toBe(1);
      await store.destroy(id);
      expect(await store.get(id)).toBeNull();
    });

    it("keeps the owner index alive as long as its sessions, extending it about once per idle window", async () => {
      const owner = `ttl-${newId()}`;
      const id = newId();
      const now = Date.now();
      await store.create(id, record({ owner, lastSeenAt: now, expiresAt: now + 10_000 }));
      const ownerKey = store.ownerKeyFor(owner);
      await warmScripts();
      // The entry's score is the session's expiry plus one more window; the set expires with it.
      expect(Number(await env.server.command("ZSCORE", ownerKey, id))).toBe(now + 20_000);
      const firstTtl = Number(await env.server.command("PTTL", ownerKey));
      expect(firstTtl).toBeGreaterThan(10_000);
      expect(firstTtl).toBeLessThanOrEqual(20_000);
      await env.recorder.take();
      // Still inside the indexed horizon: one command, no index write.
      expect(await store.touch?.(id, { lastSeenAt: now + 5_000, expiresAt: now + 15_000 })).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA"]);
      // Past it: the index entry is raised first, then the new horizon recorded.
      expect(await store.touch?.(id, { lastSeenAt: now + 50_000, expiresAt: now + 60_000 })).toBe(true);
      expect((await env.recorder.takeClientCommands()).map((c) => c.args[0])).toEqual(["EVALSHA", "EVALSHA", "EVALSHA"]);
      expect(Number(await env.server.command("ZSCORE", ownerKey, id))).toBe(now + 70_000);
      expect(Number(await env.server.command("PTTL", ownerKey))).toBeGreaterThan(60_000);
      expect(await env.server.command("HGET", store.keyFor(id), "ownerIndexUntil")).toBe(String(now + 70_000));
    });

    it("drops index members whose time has passed, and never lists a session that moved to another owner", async () => {
      const owner = `stale-${newId()}`;
      const ownerKey = store.ownerKeyFor(owner);
      const live = newId();
      await store.create(live, record({ owner }));
      // A member whose score has passed (its session is long gone) and one whose session now
      // belongs to someone else (as if the move's cleanup command had failed).
      await env.server.command("ZADD", ownerKey, String(Date.now() - 1_000), "gone-member");
      const moved = newId();
      await store.create(moved, record({ owner: "someone-else" }));
      await env.server.command("ZADD", ownerKey, String(Date.now() + 60_000), moved);
      expect((await store.listByOwner?.(owner))?.map((s) => s.id)).toEqual([live]);
      expect(await env.server.command("ZSCORE", ownerKey, "gone-member")).toBeNull();
      expect(await store.destroyByOwner?.(owner)).toBe(1);
      expect(await store.get(moved)).not.toBeNull();
    });

    it("writes and patches thousands of keys (scripts unpack arguments in chunks)", async () => {
      const id = newId();
      const data: Record<string, unknown> = {};
      for (let i = 0; i < 5_000; i++) data[`k${i}`] = i;
      expect(await store.create(id, record({ data }))).toBe(true);
      const set: Record<string, unknown> = {};
      for (let i = 0; i < 5_000; i++) set[`n${i}`] = -i - 1;
      const unset = Array.from({ length: 5_000 }, (_, i) => `k${i}`);
      const now = Date.now();
      expect(await store.patch(id, { set, unset, lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      expect((await store.get(id))?.data).toEqual(set);
      expect(await store.replace(id, record({ data }))).toBe(true);
      expect((await store.get(id))?.data).toEqual(data);
    });

    it("accepts fractional timestamps from an injected clock (TTL rounded up, values kept exact)", async () => {
      const id = newId();
      const now = Date.now() + 0.25;
      const created = record({ owner: `frac-${newId()}`, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000.5 });
      expect(await store.create(id, created)).toBe(true);
      expect(await store.get(id)).toEqual(created);
      expect(await store.touch(id, { lastSeenAt: now + 1.5, expiresAt: now + 120_000.75 })).toBe(true);
      expect((await store.get(id))?.expiresAt).toBe(now + 120_000.75);
      expect(Number(await env.server.command("PTTL", store.keyFor(id)))).toBeGreaterThan(110_000);
    });

    it("rejects a hash that is not a session with STORE_UNAVAILABLE and a clear message", async () => {
      const id = newId();
      await env.server.command("HSET", store.keyFor(id), "something", "else");
      await expect(store.get(id)).rejects.toMatchObject({
        name: "SessionError",
        code: "STORE_UNAVAILABLE",
        message: expect.stringMatching(/^\[tessera\] \[redis\] .*not a readable Tessera session.*createdAt/),
      });
      await env.server.command("DEL", store.keyFor(id));
    });
  },
);

describe("ioredis keyPrefix", () => {
  it("is applied on top of the store prefix, and ids() still yields bare session IDs", async () => {
    const client = new IORedis(env.server.url, { keyPrefix: "app*1:" });
    try {
      const store = redisStore({ client, prefix: "s[x]:" });
      const id = newId();
      await store.create(id, record({ owner: "o" }));
      expect(await env.server.command("EXISTS", `app*1:s[x]:{${id}}`)).toBe(1);
      // A key that only matches if the prefix's glob characters were not escaped.
      await env.server.command("HSET", `app11:s[x]:{${newId()}}`, "createdAt", "1");
      const ids: string[] = [];
      for await (const found of store.ids?.() ?? []) ids.push(found);
      expect(ids).toEqual([id]);
      expect((await store.listByOwner?.("o"))?.map((s) => s.id)).toEqual([id]);
    } finally {
      client.disconnect();
    }
  });
});
