/** Runs the published conformance suite on one backend × client combination. */
import { testStore } from "@tessera/store-test-suite";
import { type RedisStore, redisStore } from "../src/index.js";
import type { TestClient } from "./clients.js";

export function redisConformance(title: string, connect: () => Promise<TestClient>): void {
  let connection: TestClient | undefined;
  const current = (): TestClient => {
    if (connection === undefined) throw new Error("the client did not connect");
    return connection;
  };
  const tag = `conf-${title.replace(/[^a-z0-9]+/gi, "-")}-${Math.random().toString(36).slice(2, 8)}`;
  testStore<RedisStore>(title, {
    async create() {
      connection = await connect();
      return redisStore({ client: connection.client, prefix: `${tag}:a:` });
    },
    createIsolated: () => redisStore({ client: current().client, prefix: `${tag}:b:` }),
    clientStillOpen: () => current().ping(),
    skip: {
      "destroy-expired":
        "Redis deletes a key as soon as its PEXPIREAT time has passed, so it never holds an expired record; store-commands.test.ts checks destroy's answer for one",
    },
    async teardown() {
      await connection?.close();
    },
  });
}
