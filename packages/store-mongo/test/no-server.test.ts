/**
 * The store with the real driver and no MongoDB server (none can run on this machine): a
 * loopback port nobody listens on, and one that accepts connections but never answers. What is
 * checked is the failure path a production app sees when MongoDB is down or hangs.
 */
import { createServer, type Server, type Socket } from "node:net";
import { createSessionManager, memoryStore, type SessionError } from "@tessera/core";
import * as driver7 from "mongodb";
import * as driver6 from "mongodb-v6";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongoStore } from "../src/index.js";

const SECRET = "no-server-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const ID = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdE";
const record = () => ({ data: { a: 1 }, createdAt: Date.now(), lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 });

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

async function rejection(promise: Promise<unknown>): Promise<SessionError> {
  try {
    await promise;
  } catch (error) {
    return error as SessionError;
  }
  throw new Error("the promise resolved");
}

let closedPort = 0;
let blackHole: Server;
let blackHolePort = 0;
const blackHoleSockets = new Set<Socket>();
beforeAll(async () => {
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  // Accepts TCP connections and never says a word: a hung server or a dropped network path.
  blackHole = createServer((socket) => blackHoleSockets.add(socket));
  blackHolePort = await listen(blackHole);
});
afterAll(async () => {
  for (const socket of blackHoleSockets) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

for (const [label, mongo] of [
  ["driver 7", driver7],
  ["driver 6", driver6],
] as const) {
  describe(`no reachable server (${label})`, () => {
    const clients: Array<{ close(): Promise<void> }> = [];
    const clientOn = (port: number, serverSelectionTimeoutMS?: number) => {
      const client = new mongo.MongoClient(`mongodb://127.0.0.1:${port}/app`, { serverSelectionTimeoutMS, connectTimeoutMS: 200 });
      clients.push(client);
      return client as unknown as driver7.MongoClient;
    };
    afterAll(async () => {
      for (const client of clients) await client.close();
    });

    it("get rejects with STORE_UNAVAILABLE carrying the driver's server-selection error", async () => {
      const store = mongoStore({ client: clientOn(closedPort, 300) });
      const error = await rejection(store.get(ID));
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      expect(error.message).toMatch(/^\[tessera\] \[mongodb\] get failed \(MongoServerSelectionError\): /);
      expect((error.cause as Error).name).toBe("MongoServerSelectionError");
    });

    it("destroy rejects with STORE_UNAVAILABLE rather than answering false", async () => {
      const store = mongoStore({ client: clientOn(closedPort, 300) });
      const error = await rejection(store.destroy(ID));
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      expect(error.message).toMatch(/^\[tessera\] \[mongodb\] destroy failed \(MongoServerSelectionError\): /);
    });

    it("the first write fails while creating the indexes, and each later write tries them again", async () => {
      const store = mongoStore({ client: clientOn(closedPort, 300) });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await rejection(store.create(ID, record()));
        expect(error.code).toBe("STORE_UNAVAILABLE");
        expect(error.message).toMatch(/^\[tessera\] \[mongodb\] createIndexes failed/);
      }
      await expect(store.dispose()).resolves.toBeUndefined();
    });

    it("with manageIndexes: false the write itself is attempted", async () => {
      const store = mongoStore({ client: clientOn(closedPort, 300), manageIndexes: false });
      const error = await rejection(store.patch(ID, { set: { a: 2 }, unset: [], lastSeenAt: Date.now(), expiresAt: Date.now() + 1000 }));
      expect(error.message).toMatch(/^\[tessera\] \[mongodb\] patch failed/);
      const ids = store.ids()[Symbol.asyncIterator]();
      expect((await rejection(ids.next())).message).toMatch(/^\[tessera\] \[mongodb\] ids failed/);
    });

    it("through the session manager, a request with a valid cookie gets a typed STORE_UNAVAILABLE", async () => {
      // Mint a genuine cookie with the same secret on a working store.
      const minting = createSessionManager({ secrets: [SECRET], store: memoryStore() });
      const session = await minting.load({ cookieHeader: null });
      session.set("a", 1);
      const lines: string[] = [];
      await minting.commit(session, { appendSetCookie: (line) => lines.push(line) });
      const cookie = (lines[0] ?? "").split(";")[0] ?? "";

      const manager = createSessionManager({ secrets: [SECRET], store: mongoStore({ client: clientOn(closedPort, 300) }) });
      const error = await rejection(manager.load({ cookieHeader: cookie }));
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      const fresh = await manager.load({ cookieHeader: null });
      fresh.set("x", 1);
      expect((await rejection(manager.commit(fresh, { appendSetCookie() {} }))).code).toBe("STORE_UNAVAILABLE");
    });

    it("a server that never answers is cut off by the manager's storeTimeoutMs (STORE_TIMEOUT), even with the driver's 30 s default", async () => {
      const manager = createSessionManager({
        secrets: [SECRET],
        store: mongoStore({ client: clientOn(blackHolePort) }),
        storeTimeoutMs: 300,
      });
      const fresh = await manager.load({ cookieHeader: null });
      fresh.set("x", 1);
      const error = await rejection(manager.commit(fresh, { appendSetCookie() {} }));
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_TIMEOUT" });
      expect(error.message).toBe("[tessera] [mongodb] create did not finish within 300 ms.");
    });
  });
}
