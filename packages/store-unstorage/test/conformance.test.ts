/**
 * The published conformance suite on unstorage with four drivers, each against the real thing:
 * the memory driver, the fs driver in a temporary directory, the lru-cache driver, and the redis
 * driver against a redis-server started for this file (from PATH, on a random loopback port).
 *
 * Cases a driver cannot support are skipped by the suite itself, with the capability the store
 * declares as the reason: memory, fs and lru-cache do not honour unstorage's `ttl`, so
 * `native-expiry` and `touch-extends-expiry` are skipped there (the core enforces expiry on read).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testStore } from "@tessera/store-test-suite";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { createStorage, type Storage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import lruCacheDriver from "unstorage/drivers/lru-cache";
import redisDriver from "unstorage/drivers/redis";
import { describe, expect, it } from "vitest";
import { type UnstorageStore, unstorageStore } from "../src/index.js";

interface Backend {
  storage: Storage;
  close(): Promise<void>;
}

/** Registers the suite for one driver; `open` runs in the suite's beforeAll. */
function conformance(label: string, expectedDriver: string, expectedTtl: boolean, open: () => Promise<Backend>): void {
  let backend: Backend | undefined;
  const storage = (): Storage => {
    if (backend === undefined) throw new Error("the backend did not start");
    return backend.storage;
  };
  testStore<UnstorageStore>(`unstorage × ${label}`, {
    create: async () => {
      backend = await open();
      return unstorageStore(backend.storage, { prefix: "conformance:a" });
    },
    createIsolated: () => unstorageStore(storage(), { prefix: "conformance:b" }),
    clientStillOpen: async () => {
      await storage().setItem("probe", "ok");
      return (await storage().getItem("probe")) === "ok";
    },
    teardown: async () => {
      await backend?.close();
    },
    additionalTests: ({ store }) => {
      it(`recognises the ${expectedDriver} driver and declares nativeTtl: ${expectedTtl}`, () => {
        expect(store().driverName).toBe(expectedDriver);
        expect(store().capabilities).toEqual({
          patch: true,
          touch: true,
          ownerIndex: true,
          nativeTtl: expectedTtl,
          atomicConditionalWrites: false,
        });
      });
    },
  });
}

describe("unstorage drivers", () => {
  conformance("memory driver", "memory", false, async () => {
    const storage = createStorage();
    return { storage, close: () => storage.dispose() };
  });

  conformance("fs driver (temporary directory)", "fs", false, async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-unstorage-"));
    const storage = createStorage({ driver: fsDriver({ base: dir }) });
    return {
      storage,
      close: async () => {
        await storage.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  conformance("lru-cache driver", "lru-cache", false, async () => {
    const storage = createStorage({ driver: lruCacheDriver({ max: 100_000 }) });
    return { storage, close: () => storage.dispose() };
  });

  conformance("redis driver (redis-server)", "redis", true, async () => {
    const server: RedisServer = await startRedisServer();
    const storage = createStorage({ driver: redisDriver({ url: server.url }) });
    return {
      storage,
      close: async () => {
        await storage.dispose(); // the redis driver disconnects the client it created
        await server.stop();
      },
    };
  });
});
