/**
 * The store bridge on connect-redis (v9, node-redis client) against a real redis-server started
 * for this file. A second RedisStore with another prefix on the same client serves the
 * prefix-isolation and dispose cases.
 */
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";
import { describe } from "vitest";
import { bridgeConformance } from "./bridge-fixtures.js";

describe("connect-redis on redis-server", () => {
  let server: RedisServer | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  const connected = () => {
    if (client === undefined) throw new Error("the client did not connect");
    return client;
  };
  bridgeConformance(
    "connect-redis",
    {
      open: async () => {
        server = await startRedisServer();
        client = createClient({ url: server.url });
        await client.connect();
        return new RedisStore({ client, prefix: "bridge-a:" });
      },
      isolated: () => new RedisStore({ client: connected(), prefix: "bridge-b:" }),
      clientStillOpen: async () => (await connected().ping()) === "PONG",
      close: async () => {
        await client?.quit();
        await server?.stop();
      },
    },
    { ownerIndex: true, ids: true },
  );
});
