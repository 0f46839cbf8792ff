/**
 * A stopped, paused or closed Redis becomes a typed SessionError within `commandTimeoutMs`, never
 * a hang and never an untyped error. Each case uses a server of its own (it is stopped or paused).
 * The bound is checked by the test timeout (a few seconds), not by measuring.
 */
import { createSessionManager, isSessionError, type SessionEvent } from "@tessera/core";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { afterEach, describe, expect, it } from "vitest";
import "@tessera/test-redis/vitest";
import { inject } from "vitest";
import { redisStore } from "../src/index.js";
import { type ClientName, clusterClient, standaloneClient, type TestClient, uniquePrefix } from "./clients.js";
import { newId, record } from "./records.js";

const COMMAND_TIMEOUT_MS = 300;
const SECRET = "redis-failure-test-secret-0123456789abcdef";

describe.each<ClientName>(["node-redis v6", "node-redis v5", "node-redis v4", "ioredis v6", "ioredis v5"])(
  "redis store failures with %s",
  (clientName) => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setup(): Promise<{ server: RedisServer; connection: TestClient }> {
      const server = await startRedisServer();
      cleanups.push(() => server.stop());
      const connection = await standaloneClient(clientName, server.url);
      cleanups.push(() => connection.close());
      return { server, connection };
    }

    it("a stopped server: STORE_UNAVAILABLE (the client is reconnecting)", { timeout: 5_000 }, async () => {
      const { server, connection } = await setup();
      const store = redisStore({
        client: connection.client,
        prefix: uniquePrefix("stopped"),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      const id = newId();
      await store.create(id, record());
      await server.stop();
      const error = await store.get(id).catch((e: unknown) => e);
      expect(isSessionError(error)).toBe(true);
      expect(error).toMatchObject({ code: "STORE_UNAVAILABLE", message: expect.stringMatching(/^\[tessera\] \[redis\] get /) });
      await expect(store.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: 1, expiresAt: 2 })).rejects.toMatchObject({
        code: "STORE_UNAVAILABLE",
      });
    });

    it("a restarted server: errors while it is down, then service resumes by itself (scripts reloaded)", { timeout: 20_000 }, async () => {
      const { server, connection } = await setup();
      const store = redisStore({
        client: connection.client,
        prefix: uniquePrefix("restart"),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      const id = newId();
      await store.create(id, record());
      await server.stop();
      await expect(store.get(id)).rejects.toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      const restarted = await startRedisServer({ port: server.port });
      cleanups.push(() => restarted.stop());
      // The client reconnects on its own schedule; the store needs no action.
      let answered = false;
      for (let attempt = 0; attempt < 50 && !answered; attempt++) {
        answered = await store.get(id).then(
          (found) => found === null, // persistence is off: the restarted server is empty
          () => false,
        );
      }
      expect(answered).toBe(true);
      const again = newId();
      expect(await store.create(again, record({ owner: "restarted" }))).toBe(true);
      expect(await store.patch(again, { set: { a: 1 }, unset: [], lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 })).toBe(true);
      expect((await store.listByOwner("restarted")).map((s) => s.id)).toEqual([again]);
    });

    it("a paused server (CLIENT PAUSE): STORE_TIMEOUT, then normal service once it resumes", { timeout: 15_000 }, async () => {
      const { server, connection } = await setup();
      const store = redisStore({
        client: connection.client,
        prefix: uniquePrefix("paused"),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      const id = newId();
      await store.create(id, record({ data: { kept: true } }));
      await server.command("CLIENT", "PAUSE", "3000", "ALL");
      const error = await store.get(id).catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: "SessionError",
        code: "STORE_TIMEOUT",
        message: expect.stringMatching(/get got no answer within 300 ms although the client is connected/),
      });
      // The late reply is dropped; the next calls work once the pause ends.
      let data: unknown;
      for (let attempt = 0; attempt < 30 && data === undefined; attempt++) {
        data = await store.get(id).then(
          (found) => found?.data,
          () => undefined,
        );
      }
      expect(data).toEqual({ kept: true });
    });

    it("a client closed by the app: STORE_UNAVAILABLE naming the cause, and the store never reopens it", { timeout: 5_000 }, async () => {
      const { connection } = await setup();
      const store = redisStore({
        client: connection.client,
        prefix: uniquePrefix("closed"),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      await connection.close();
      const error = await store.get(newId()).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      expect((error as Error).message).toMatch(/closed/i);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(await connection.ping().catch(() => false)).toBe(false);
    });

    it("through the manager: load rejects with the store's typed error and reports a store-error event", { timeout: 15_000 }, async () => {
      const { server, connection } = await setup();
      const events: SessionEvent[] = [];
      const manager = createSessionManager({
        secrets: [SECRET],
        store: redisStore({ client: connection.client, prefix: uniquePrefix("manager"), commandTimeoutMs: COMMAND_TIMEOUT_MS }),
        onEvent: (event) => events.push(event),
      });
      const session = await manager.load({ cookieHeader: null });
      session.set("user", "ada");
      const cookies: string[] = [];
      await manager.commit(session, { appendSetCookie: (line) => cookies.push(line) });
      const cookieHeader = (cookies[0] ?? "").split(";")[0] ?? "";
      await server.command("CLIENT", "PAUSE", "3000", "ALL");
      await expect(manager.load({ cookieHeader })).rejects.toMatchObject({ name: "SessionError", code: "STORE_TIMEOUT" });
      expect(events.filter((e) => e.type === "store-error").map((e) => e.type === "store-error" && e.error.code)).toEqual([
        "STORE_TIMEOUT",
      ]);
    });
  },
);

describe.each<ClientName>(["node-redis v6", "node-redis v5", "ioredis v6", "ioredis v5"])(
  "redis cluster client failures with %s",
  (clientName) => {
    it("a closed cluster client: STORE_UNAVAILABLE", { timeout: 5_000 }, async () => {
      const connection = await clusterClient(clientName, inject("redisClusterUrls"));
      const store = redisStore({
        client: connection.client,
        prefix: uniquePrefix("cluster-closed"),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      expect(await store.create(newId(), record())).toBe(true);
      await connection.close();
      await expect(store.get(newId())).rejects.toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
    });
  },
);
