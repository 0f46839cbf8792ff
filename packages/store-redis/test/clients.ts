/**
 * Real clients for the tests, one factory per library and topology. Each client gets an `error`
 * listener (node-redis throws on an unhandled `error` event) that records what it saw.
 */
import IORedis, { Cluster as IORedisCluster } from "ioredis";
import IORedisV6, { Cluster as IORedisClusterV6 } from "ioredis-v6";
import { createClient, createCluster } from "redis";
import { createClient as createClientV4, createCluster as createClusterV4 } from "redis-v4";
import { createClient as createClientV6, createCluster as createClusterV6 } from "redis-v6";
import type { RedisClientLike } from "../src/index.js";

export type ClientName = "node-redis v6" | "node-redis v5" | "node-redis v5 RESP3" | "node-redis v4" | "ioredis v5" | "ioredis v6";

/** A connected client plus the two operations the tests need on every kind. */
export interface TestClient {
  /** Typed as what `redisStore({ client })` accepts, so the tests pass it without a cast. */
  readonly client: RedisClientLike;
  ping(): Promise<boolean>;
  /** QUIT when connected; a client whose server is gone is dropped at once (QUIT would wait). */
  close(): Promise<void>;
  readonly errors: Error[];
}

interface Listening {
  on(event: "error", listener: (error: Error) => void): unknown;
}

async function wrap<C extends Listening & RedisClientLike>(
  client: C,
  connect: (client: C) => Promise<unknown>,
  ping: (client: C) => Promise<unknown>,
  close: (client: C) => Promise<unknown>,
): Promise<TestClient> {
  const errors: Error[] = [];
  client.on("error", (error) => errors.push(error));
  await connect(client);
  return { client, errors, ping: async () => (await ping(client)) === "PONG", close: async () => void (await close(client)) };
}

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

type NodeRedisLike = { isOpen: boolean; quit(): Promise<unknown>; disconnect(): Promise<unknown> };
const closeNodeRedis = (client: NodeRedisLike & { isReady?: boolean }) =>
  client.isReady === false ? (client.isOpen ? client.disconnect() : Promise.resolve()) : client.isOpen ? client.quit() : Promise.resolve();
const closeIORedis = async (client: { status: string; quit(): Promise<unknown>; disconnect(): void }) => {
  if (client.status === "ready") await client.quit();
  else client.disconnect();
};

export function standaloneClient(name: ClientName, url: string): Promise<TestClient> {
  switch (name) {
    case "ioredis v6":
      return wrap(
        new IORedisV6(url, { lazyConnect: true }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeIORedis,
      );
    case "ioredis v5":
      return wrap(
        new IORedis(url, { lazyConnect: true }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeIORedis,
      );
    case "node-redis v6":
      return wrap(
        createClientV6({ url }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeNodeRedis,
      );
    case "node-redis v5":
      return wrap(
        createClient({ url }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeNodeRedis,
      );
    case "node-redis v5 RESP3":
      return wrap(
        createClient({ url, RESP: 3 }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeNodeRedis,
      );
    case "node-redis v4":
      return wrap(
        createClientV4({ url }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeNodeRedis,
      );
  }
}

export function clusterClient(name: ClientName, urls: string[]): Promise<TestClient> {
  const rootNodes = urls.map((url) => ({ url }));
  switch (name) {
    case "node-redis v5 RESP3":
      return wrap(
        createCluster({ rootNodes, RESP: 3 }),
        (c) => c.connect(),
        (c) => c.sendCommand(undefined, true, ["PING"]),
        closeNodeRedis,
      );
    case "ioredis v6":
      return wrap(
        new IORedisClusterV6(urls.map(hostPort), { lazyConnect: true }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeIORedis,
      );
    case "ioredis v5":
      return wrap(
        new IORedisCluster(urls.map(hostPort), { lazyConnect: true }),
        (c) => c.connect(),
        (c) => c.ping(),
        closeIORedis,
      );
    case "node-redis v6":
      return wrap(
        createClusterV6({ rootNodes }),
        (c) => c.connect(),
        (c) => c.sendCommand(undefined, true, ["PING"]),
        closeNodeRedis,
      );
    case "node-redis v5":
      return wrap(
        createCluster({ rootNodes }),
        (c) => c.connect(),
        (c) => c.sendCommand(undefined, true, ["PING"]),
        closeNodeRedis,
      );
    case "node-redis v4":
      return wrap(
        createClusterV4({ rootNodes }),
        (c) => c.connect(),
        (c) => c.sendCommand(undefined, true, ["PING"]),
        closeNodeRedis,
      );
  }
}

/** A prefix no other test file uses. */
export function uniquePrefix(tag: string): string {
  return `t:${tag}:${Math.random().toString(36).slice(2, 10)}:`;
}
