/**
 * The redis driver against a real redis-server (started here from PATH on a random loopback
 * port): the TTL the store passes is the one Redis keeps, owner markers are refreshed only when
 * needed, two app instances with the same secrets share sessions, and an unreachable server
 * becomes a typed error.
 */
import { createServer } from "node:net";
import { createSessionManager, type SessionRecord } from "@tessera/core";
import { encodeBase64url } from "@tessera/core/internal";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { createStorage, type Storage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type UnstorageLike, unstorageStore } from "../src/index.js";
import { hashOwner } from "../src/key-layout.js";

const SECRET = "unstorage-redis-secret-0123456789abcdefghijklmnop";
let server: RedisServer;
const storages: Storage[] = [];

function redisStorage(options: Record<string, unknown> = {}): Storage {
  const storage = createStorage({ driver: redisDriver({ url: server.url, ...options }) });
  storages.push(storage);
  return storage;
}

function newId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 30 * 60_000, ...overrides };
}

async function pttl(key: string): Promise<number> {
  return Number(await server.command("PTTL", key));
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const storage of storages) await storage.dispose();
  await server?.stop();
});

describe("TTL on Redis", () => {
  it("the session key expires with the record (seconds, rounded up) and its owner marker lives twice as long", async () => {
    const store = unstorageStore(redisStorage(), { prefix: "ttl" });
    const id = newId();
    const created = record({ owner: "u-ttl" });
    await store.create(id, created);
    const sessionTtl = await pttl(`ttl:s:${id}`);
    expect(sessionTtl).toBeGreaterThan(29 * 60_000);
    expect(sessionTtl).toBeLessThanOrEqual(30 * 60_000 + 1_000);
    const markerTtl = await pttl(`ttl:o:${await hashOwner("u-ttl")}:${id}`);
    expect(markerTtl).toBeGreaterThan(59 * 60_000);
    expect(markerTtl).toBeLessThanOrEqual(60 * 60_000 + 1_000);
  });

  it("touch moves the key's expiry; the marker is rewritten only once the record would outlive it", async () => {
    const base = redisStorage();
    const markerWrites: string[] = [];
    const counting: UnstorageLike = {
      getItem: (key) => base.getItem(key),
      removeItem: (key) => base.removeItem(key),
      getKeys: (prefix) => base.getKeys(prefix),
      getMount: (key) => base.getMount(key),
      setItem: async (key, value, options) => {
        if (key.includes(":o:")) markerWrites.push(key);
        await base.setItem(key, value, options);
      },
    };
    const store = unstorageStore(counting, { prefix: "touch" });
    expect(store.capabilities.nativeTtl).toBe(true);
    const id = newId();
    const now = Date.now();
    await store.create(id, record({ owner: "u-touch", expiresAt: now + 10 * 60_000 }));
    expect(markerWrites).toHaveLength(1);
    // Within the marker's lifetime (20 min): no marker write.
    await store.touch(id, { lastSeenAt: now + 1_000, expiresAt: now + 15 * 60_000 });
    expect(markerWrites).toHaveLength(1);
    expect(await pttl(`touch:s:${id}`)).toBeGreaterThan(14 * 60_000);
    // Past it: the marker is rewritten with a longer TTL.
    await store.touch(id, { lastSeenAt: now + 2_000, expiresAt: now + 25 * 60_000 });
    expect(markerWrites).toHaveLength(2);
    expect(await pttl(`touch:o:${await hashOwner("u-touch")}:${id}`)).toBeGreaterThan(45 * 60_000);
    expect((await store.listByOwner?.("u-touch"))?.map((s) => s.id)).toEqual([id]);
  });
});

describe("two app instances sharing one Redis", () => {
  it("see the same session: written through one, read and changed through the other", async () => {
    const app = () =>
      createSessionManager<{ user?: string; visits?: number }>({
        secrets: [SECRET],
        store: unstorageStore(redisStorage(), { prefix: "shared" }),
      });
    const first = app();
    const second = app();
    const lines: string[] = [];
    const login = await first.load({ cookieHeader: null });
    login.set("user", "ada");
    login.set("visits", 1);
    await first.commit(login, { appendSetCookie: (line) => lines.push(line) });
    const cookie = (lines[0] ?? "").split(";")[0] ?? "";

    const onSecond = await second.load({ cookieHeader: cookie });
    expect(onSecond.isNew).toBe(false);
    expect(onSecond.get("user")).toBe("ada");
    onSecond.set("visits", 2);
    await second.commit(onSecond, { appendSetCookie() {} });

    const backOnFirst = await first.load({ cookieHeader: cookie });
    expect(backOnFirst.get("visits")).toBe(2);
    backOnFirst.destroy();
    await first.commit(backOnFirst, { appendSetCookie() {} });
    expect((await second.load({ cookieHeader: cookie })).isNew).toBe(true);
  });
});

describe("an unreachable Redis", () => {
  let closedPort = 0;
  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  it("fails fast with STORE_UNAVAILABLE when the client does not queue offline commands", async () => {
    const storage = createStorage({
      driver: redisDriver({ url: `redis://127.0.0.1:${closedPort}`, enableOfflineQueue: false, retryStrategy: () => null }),
    });
    storages.push(storage);
    const store = unstorageStore(storage);
    await expect(store.get(newId())).rejects.toMatchObject({
      name: "SessionError",
      code: "STORE_UNAVAILABLE",
      message: expect.stringMatching(/^\[tessera\] \[unstorage\] get failed \(redis driver\): /),
    });
  });

  it("with ioredis' default offline queue, the manager's storeTimeoutMs cuts the wait (STORE_TIMEOUT)", async () => {
    const storage = createStorage({ driver: redisDriver({ url: `redis://127.0.0.1:${closedPort}` }) });
    storages.push(storage);
    const manager = createSessionManager({ secrets: [SECRET], store: unstorageStore(storage), storeTimeoutMs: 300 });
    const session = await manager.load({ cookieHeader: null });
    session.set("a", 1);
    await expect(manager.commit(session, { appendSetCookie() {} })).rejects.toMatchObject({
      code: "STORE_TIMEOUT",
      message: "[tessera] [unstorage] create did not finish within 300 ms.",
    });
  });
});
