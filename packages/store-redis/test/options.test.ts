/** Startup checks and client detection: no server needed (clients are created, never connected). */
import { assertStore, isSessionError } from "@tessera/core";
import IORedis, { Cluster as IORedisCluster } from "ioredis";
import IORedisV6, { Cluster as IORedisClusterV6 } from "ioredis-v6";
import { createClient, createCluster } from "redis";
import { createClient as createClientV4, createCluster as createClusterV4 } from "redis-v4";
import { createClient as createClientV6, createCluster as createClusterV6 } from "redis-v6";
import { describe, expect, it } from "vitest";
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_PREFIX, type RedisClientLike, redisStore } from "../src/index.js";
import { escapeGlob } from "../src/key-layout.js";

function configErrorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isSessionError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("redisStore options", () => {
  const client = createClient();

  // The `as never` casts below pass deliberately invalid input, as plain JavaScript or an `any` can.
  it("requires a client and names the supported ones", () => {
    for (const bad of [undefined, null, {}, { sendCommand: () => 1 }, "redis://localhost"]) {
      const error = configErrorOf(() => redisStore({ client: bad as never }));
      expect(error.code).toBe("INVALID_CONFIG");
      expect(error.message).toMatch(/^\[tessera\] \[redis\] `client` .*node-redis.*ioredis/);
    }
    expect(configErrorOf(() => redisStore(undefined as never)).message).toMatch(/options object/);
  });

  it("rejects a prefix with braces, a bad timeout and a bad scan count, saying how to fix them", () => {
    // Wrong types are cast with `as never` to check the startup error a JavaScript caller gets.
    expect(configErrorOf(() => redisStore({ client, prefix: "app:{x}:" })).message).toMatch(/must not contain "\{" or "\}".*hash tag/);
    expect(configErrorOf(() => redisStore({ client, prefix: 5 as never })).message).toMatch(/`prefix` must be a string/);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "100"]) {
      expect(configErrorOf(() => redisStore({ client, commandTimeoutMs: bad as never })).message).toMatch(/`commandTimeoutMs` must be/);
    }
    for (const bad of [0, 1.5, -10]) {
      expect(configErrorOf(() => redisStore({ client, scanCount: bad })).message).toMatch(/`scanCount` must be a positive integer/);
    }
  });

  it("applies documented defaults and declares every capability", () => {
    const store = redisStore({ client });
    expect(store.prefix).toBe(DEFAULT_PREFIX);
    expect(DEFAULT_PREFIX).toBe("tessera:");
    expect(DEFAULT_COMMAND_TIMEOUT_MS).toBe(2_000);
    expect(store.name).toBe("redis");
    expect(store.capabilities).toEqual({ patch: true, touch: true, ownerIndex: true, nativeTtl: true, atomicConditionalWrites: true });
    expect(() => assertStore(store)).not.toThrow();
  });

  it("lays keys out with the session ID and the owner as Cluster hash tags", () => {
    const store = redisStore({ client, prefix: "app:" });
    expect(store.keyFor("abc")).toBe("app:{abc}");
    expect(store.ownerKeyFor("user:1")).toBe("app:owner:{user:1}");
  });
});

describe("client detection", () => {
  const cases: Array<[string, () => RedisClientLike, string]> = [
    ["node-redis v5 client", () => createClient(), "node-redis"],
    ["node-redis v4 client", () => createClientV4(), "node-redis"],
    ["node-redis v6 client", () => createClientV6(), "node-redis"],
    ["node-redis v5 cluster", () => createCluster({ rootNodes: [{ url: "redis://127.0.0.1:1" }] }), "node-redis-cluster"],
    ["node-redis v4 cluster", () => createClusterV4({ rootNodes: [{ url: "redis://127.0.0.1:1" }] }), "node-redis-cluster"],
    ["node-redis v6 cluster", () => createClusterV6({ rootNodes: [{ url: "redis://127.0.0.1:1" }] }), "node-redis-cluster"],
    ["ioredis v5 client", () => new IORedis({ lazyConnect: true }), "ioredis"],
    ["ioredis v5 cluster", () => new IORedisCluster([{ host: "127.0.0.1", port: 1 }], { lazyConnect: true }), "ioredis-cluster"],
    ["ioredis v6 client", () => new IORedisV6({ lazyConnect: true }), "ioredis"],
    ["ioredis v6 cluster", () => new IORedisClusterV6([{ host: "127.0.0.1", port: 1 }], { lazyConnect: true }), "ioredis-cluster"],
  ];
  it.each(cases)("recognizes a %s without connecting it", (_name, make, kind) => {
    const client = make();
    expect(redisStore({ client }).clientKind).toBe(kind);
  });
});

describe("escapeGlob", () => {
  it("escapes every SCAN MATCH special character and nothing else", () => {
    expect(escapeGlob("a*b?c[d]e\\f:g/h{i}")).toBe("a\\*b\\?c\\[d\\]e\\\\f:g/h{i}");
  });
});
