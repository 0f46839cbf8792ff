/**
 * Compile-time checks that `redisStore({ client })` accepts every client the README names, exactly
 * as an app creates it (no cast), and rejects objects that are not Redis clients. Run by vitest's
 * typecheck mode (see vitest.config.ts, compiled with tsconfig.typetest.json: strict + NodeNext,
 * as an app would) and by the package's `tsc --noEmit`; nothing here is executed.
 */
import { Redis as IORedis, Cluster as IORedisCluster } from "ioredis";
import { Cluster as IORedisClusterV6, Redis as IORedisV6 } from "ioredis-v6";
import { createClient, createCluster, type RedisClientType, type RedisClusterType } from "redis";
import {
  createClient as createClientV4,
  createCluster as createClusterV4,
  type RedisClientType as RedisClientTypeV4,
  type RedisClusterType as RedisClusterTypeV4,
} from "redis-v4";
import {
  createClient as createClientV6,
  createCluster as createClusterV6,
  type RedisClientType as RedisClientTypeV6,
  type RedisClusterType as RedisClusterTypeV6,
} from "redis-v6";
import { describe, expectTypeOf, it } from "vitest";
import { type RedisClientLike, type RedisStore, redisStore } from "../src/index.js";

const rootNodes = [{ url: "redis://127.0.0.1:7000" }];
const clusterNodes = [{ host: "127.0.0.1", port: 7000 }];

describe("redisStore({ client }) accepts", () => {
  it("a node-redis v4 client", () => {
    expectTypeOf(redisStore({ client: createClientV4() })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClientTypeV4>().toExtend<RedisClientLike>();
  });

  it("a node-redis v4 cluster", () => {
    expectTypeOf(redisStore({ client: createClusterV4({ rootNodes }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClusterTypeV4>().toExtend<RedisClientLike>();
  });

  it("a node-redis v5 client", () => {
    expectTypeOf(redisStore({ client: createClient() })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: createClient({ RESP: 3 }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClientType>().toExtend<RedisClientLike>();
  });

  it("a node-redis v5 cluster", () => {
    expectTypeOf(redisStore({ client: createCluster({ rootNodes }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: createCluster({ rootNodes, RESP: 3 }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClusterType>().toExtend<RedisClientLike>();
  });

  it("a node-redis v6 client", () => {
    expectTypeOf(redisStore({ client: createClientV6() })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClientTypeV6>().toExtend<RedisClientLike>();
  });

  it("a node-redis v6 cluster", () => {
    expectTypeOf(redisStore({ client: createClusterV6({ rootNodes }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisClusterTypeV6>().toExtend<RedisClientLike>();
  });

  it("an ioredis v5 Redis", () => {
    expectTypeOf(redisStore({ client: new IORedis() })).toEqualTypeOf<RedisStore>();
  });

  it("an ioredis v5 Cluster", () => {
    expectTypeOf(redisStore({ client: new IORedisCluster(clusterNodes) })).toEqualTypeOf<RedisStore>();
  });

  it("an ioredis v6 Redis", () => {
    expectTypeOf(redisStore({ client: new IORedisV6() })).toEqualTypeOf<RedisStore>();
  });

  it("an ioredis v6 Cluster", () => {
    expectTypeOf(redisStore({ client: new IORedisClusterV6(clusterNodes) })).toEqualTypeOf<RedisStore>();
  });
});

describe("redisStore({ client }) rejects", () => {
  it("a plain object, a URL string and a missing client", () => {
    expectTypeOf<object>().not.toExtend<RedisClientLike>();
    // @ts-expect-error: an empty object has none of the methods the store calls
    redisStore({ client: {} });
    // @ts-expect-error: a URL is not a client; create and connect the client yourself
    redisStore({ client: "redis://127.0.0.1:6379" });
    // @ts-expect-error: `client` is required
    redisStore({ prefix: "app:" });
  });

  it("an object with `sendCommand` but no connection state", () => {
    expectTypeOf<{ sendCommand(args: string[]): Promise<unknown> }>().not.toExtend<RedisClientLike>();
    // @ts-expect-error: node-redis clients also expose `isOpen` and `isReady`, which the store reads
    redisStore({ client: { sendCommand: async (_args: string[]) => "OK" } });
  });

  it("an object with `call` but no status or options", () => {
    expectTypeOf<{ call(command: string, args: string[]): Promise<unknown> }>().not.toExtend<RedisClientLike>();
    // @ts-expect-error: ioredis clients also expose `status`, `isCluster` and `options`, which the store reads
    redisStore({ client: { call: async (_command: string, _args: string[]) => "OK" } });
  });

  it("a client whose `sendCommand` takes something other than string arguments", () => {
    const numbersOnly = { isOpen: true, isReady: true, sendCommand: async (_args: number[]) => 1 };
    expectTypeOf(numbersOnly).not.toExtend<RedisClientLike>();
    // @ts-expect-error: the store sends string arguments
    redisStore({ client: numbersOnly });
  });
});
