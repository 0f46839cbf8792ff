/**
 * A stopped, restarted or blocked PostgreSQL becomes a typed SessionError within `queryTimeoutMs`,
 * never a hang, an untyped error or an unhandled rejection (vitest fails the run on one). The
 * outage tests stop and restart a real server of their own; the blocking tests hold a row lock on
 * the shared server from a second connection.
 */
import { createServer } from "node:net";
import { createSessionManager } from "@tessera/core";
import { type PostgresServer, startPostgres } from "@tessera/test-postgres";
import pg from "pg";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-postgres/vitest";
import { inject } from "vitest";
import { type PostgresStore, postgresStore } from "../src/index.js";
import { type ClientName, connectClient, type TestClient, uniqueTable } from "./clients.js";
import { newId, record } from "./records.js";

const SECRET = "postgres-failure-test-secret-0123456789abcd";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries `get` until the store answers again (the client reconnects on its own schedule). */
async function getOnceBack(store: PostgresStore, id: string): Promise<unknown> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const answer = await store.get(id).then(
      (found) => ({ found }),
      () => undefined,
    );
    if (answer !== undefined) return answer.found;
    await sleep(50);
  }
  throw new Error("the store did not answer again after the server restarted");
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.each<ClientName>(["pg Pool", "postgres.js", "pg Client"])("outage of a real server with %s", (name) => {
  let server: PostgresServer;
  let connection: TestClient;
  let store: PostgresStore;
  beforeAll(async () => {
    server = await startPostgres();
    connection = await connectClient(name, server.url);
    store = postgresStore({ client: connection.client as never, tableName: "sessions", createTableIfMissing: true, queryTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it("while stopped: every operation is STORE_UNAVAILABLE, and a manager answers 503", { timeout: 15_000 }, async () => {
    const id = newId();
    expect(await store.create(id, record({ data: { kept: true } }))).toBe(true);
    const manager = createSessionManager({ secrets: [SECRET], store });
    let cookie = "";
    const existing = await manager.load({ cookieHeader: null });
    existing.set("n", 1);
    await manager.commit(existing, { appendSetCookie: (line) => (cookie = line.split(";")[0] ?? "") });
    expect(cookie).not.toBe("");

    await server.halt();
    const now = Date.now();
    const attempts: Array<[string, Promise<unknown>]> = [
      ["get", store.get(id)],
      ["create", store.create(newId(), record())],
      ["patch", store.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })],
      ["touch", store.touch(id, { lastSeenAt: now, expiresAt: now + 60_000 })],
      ["destroy", store.destroy(id)],
      ["listByOwner", store.listByOwner("o")],
      ["prune", store.prune()],
    ];
    for (const [operation, attempt] of attempts) {
      await expect(attempt, operation).rejects.toMatchObject({
        name: "SessionError",
        code: "STORE_UNAVAILABLE",
        message: expect.stringMatching(new RegExp(`^\\[tessera\\] \\[postgres\\] ${operation} failed: `)),
      });
    }
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", status: 503 });
    const fresh = await manager.load({ cookieHeader: null });
    fresh.set("x", 1);
    await expect(manager.commit(fresh, { appendSetCookie: () => {} })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", status: 503 });
  });

  if (name === "pg Client") {
    it("after a restart a single pg Client stays closed (it never reconnects): still STORE_UNAVAILABLE, never a hang", async () => {
      await server.start();
      await expect(store.get(newId())).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    });
  } else {
    it("once the server is back, service resumes by itself with the data kept", { timeout: 15_000 }, async () => {
      const id = newId();
      await server.start();
      expect(await getOnceBack(store, id)).toBeNull();
      expect(await store.create(id, record({ owner: "back" }))).toBe(true);
      const now = Date.now();
      expect(await store.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
      expect((await store.listByOwner("back")).map((entry) => entry.id)).toEqual([id]);
      expect(Number((await connection.sql("SELECT count(*) FROM sessions WHERE data ? 'kept'"))[0]?.[0])).toBe(1);
    });

    it("a statement cut off mid-request (the server ends its connection) is STORE_UNAVAILABLE; the next one works", {
      timeout: 15_000,
    }, async () => {
      const id = newId();
      await getOnceBack(store, id);
      await store.create(id, record());
      const locker = new pg.Client({ connectionString: server.url });
      locker.on("error", () => {});
      await locker.connect();
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE", [id]);
      // No client-side deadline here: only the server ending the connection may end this statement.
      const patient = postgresStore({ client: connection.client as never, tableName: "sessions", queryTimeoutMs: 0 });
      const now = Date.now();
      const blocked = patient.patch(id, { set: { b: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 }).catch((e: unknown) => e);
      // Terminate the patch's backend once the server lists it as waiting for the row lock (a fresh
      // connection each time: inside the locker's transaction the activity view would not change).
      let terminated = "";
      for (let i = 0; i < 250 && terminated !== "t"; i++) {
        terminated = await server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
        if (terminated !== "t") await sleep(20);
      }
      expect(terminated).toBe("t");
      expect(await blocked).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      await locker.query("ROLLBACK");
      await locker.end();
      expect((await getOnceBack(store, id)) as object).not.toBeNull();
      expect(await store.patch(id, { set: { c: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
    });
  }
});

describe("connection refused from the start", () => {
  it.each<ClientName>(["pg Pool", "postgres.js"])("%s: STORE_UNAVAILABLE naming the refused connection", async (name) => {
    const connection = await connectClient(name, `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`);
    try {
      const store = postgresStore({ client: connection.client as never, createTableIfMissing: true });
      await expect(store.get(newId())).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", message: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await connection.close();
    }
  });
});

describe("a blocked statement (row lock held by another connection) on the shared server", () => {
  let locker: pg.Client;
  let admin: TestClient;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    admin = await connectClient("pg Pool", inject("postgresUrl"));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await admin.close();
  });

  /** Creates a session and locks its row from a second connection until the test ends. */
  async function lockedSession(store: PostgresStore): Promise<string> {
    const id = newId();
    // Table creation and the insert run without the tight deadline under test.
    const tableName = JSON.parse(store.table) as string;
    await postgresStore({ client: admin.client as never, tableName, createTableIfMissing: true }).create(id, record());
    locker = new pg.Client({ connectionString: inject("postgresUrl") });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`SELECT 1 FROM ${store.table} WHERE id = $1 FOR UPDATE`, [id]);
    cleanups.push(() => locker.end());
    return id;
  }

  const patchOf = () => {
    const now = Date.now();
    return { set: { late: true }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 };
  };

  it("no answer within queryTimeoutMs: STORE_TIMEOUT, and the late answer is ignored", async () => {
    const store = postgresStore({
      client: admin.client as never,
      tableName: uniqueTable("blocked"),
      queryTimeoutMs: 300,
    });
    const id = await lockedSession(store);
    await expect(store.patch(id, patchOf())).rejects.toMatchObject({
      code: "STORE_TIMEOUT",
      message: expect.stringMatching(/patch got no answer within 300 ms/),
    });
    await locker.query("ROLLBACK");
    const unhurried = postgresStore({ client: admin.client as never, tableName: JSON.parse(store.table) as string });
    expect(await unhurried.get(id)).not.toBeNull();
  });

  it.each([
    ["pg Pool", () => new pg.Pool({ connectionString: inject("postgresUrl"), statement_timeout: 200 })],
    ["postgres.js", () => postgres(inject("postgresUrl"), { connection: { statement_timeout: 200 }, onnotice: () => {} })],
  ] as const)("a server-side statement_timeout (%s): STORE_TIMEOUT saying PostgreSQL cancelled it", async (_name, connect) => {
    const client = connect();
    cleanups.push(async () => {
      await ("end" in client ? client.end() : Promise.resolve());
    });
    const store = postgresStore({
      client: client as never,
      tableName: uniqueTable("cancelled"),
      queryTimeoutMs: 0,
    });
    const id = await lockedSession(store);
    await expect(store.patch(id, patchOf())).rejects.toMatchObject({
      code: "STORE_TIMEOUT",
      message: expect.stringMatching(/patch was cancelled by PostgreSQL \(57014\)/),
    });
  });
});
