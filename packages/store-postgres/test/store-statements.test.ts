/**
 * What the conformance suite cannot see: the rows in the table, expired rows, pruning, the schema,
 * names that need quoting, prepared statements, and the answers the store gives for input
 * PostgreSQL cannot hold. All on the shared server through a pg Pool (one table per test).
 */
import { readFile } from "node:fs/promises";
import { isSessionError } from "@tessera/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-postgres/vitest";
import { inject } from "vitest";
import { createTableSql, type PostgresStore, type PostgresStoreOptions, postgresStore } from "../src/index.js";
import { connectClient, type TestClient, uniqueTable } from "./clients.js";
import { newId, record } from "./records.js";

let db: TestClient;
const stores: PostgresStore[] = [];

beforeAll(async () => {
  db = await connectClient("pg Pool", inject("postgresUrl"));
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.dispose()));
  await db.close();
});

function store(options: Partial<PostgresStoreOptions> = {}): PostgresStore {
  const created = postgresStore({ client: db.client as never, tableName: uniqueTable("stmt"), createTableIfMissing: true, ...options });
  stores.push(created);
  return created;
}

async function count(s: PostgresStore, where = "true"): Promise<number> {
  return Number((await db.sql(`SELECT count(*) FROM ${s.table} WHERE ${where}`))[0]?.[0]);
}

/** Writes an expired row directly (the store itself would also accept it through create). */
async function expiredRow(s: PostgresStore, id = newId(), owner?: string): Promise<string> {
  const now = Date.now();
  expect(await s.create(id, record({ owner, createdAt: now - 60_000, lastSeenAt: now - 30_000, expiresAt: now - 1_000 }))).toBe(true);
  return id;
}

describe("rows and expiry", () => {
  it("keeps data as one jsonb key per session key, each holding that value's JSON text; patch changes only its keys", async () => {
    const s = store();
    const id = newId();
    await s.create(id, record({ data: { cart: [1, { n: "\u0000" }], user: "ada" }, owner: "ada", rememberMeSeconds: 1.5 }));
    const [row] = await db.sql(
      `SELECT data::text, owner, remember_me_seconds, expires_at > now(), jsonb_typeof(data->'cart') FROM ${s.table} WHERE id = $1`,
      [id],
    );
    expect(JSON.parse(String(row?.[0]))).toEqual({ cart: '[1,{"n":"\\u0000"}]', user: '"ada"' });
    expect(row?.slice(1)).toEqual(["ada", 1.5, true, "string"]);
    const now = Date.now();
    expect(await s.patch(id, { set: { user: "bob" }, unset: ["cart"], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
    expect((await db.sql(`SELECT data::text FROM ${s.table} WHERE id = $1`, [id]))[0]?.[0]).toBe('{"user": "\\"bob\\""}');
  });

  it("never reads, updates or lists an expired row, and a new session may take its ID", async () => {
    const s = store();
    const owner = `owner-${newId()}`;
    const id = await expiredRow(s, newId(), owner);
    expect(await count(s)).toBe(1);
    const now = Date.now();
    expect(await s.get(id)).toBeNull();
    expect(await s.replace(id, record())).toBe(false);
    expect(await s.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(false);
    expect(await s.touch(id, { lastSeenAt: now, expiresAt: now + 60_000 })).toBe(false);
    expect(await s.listByOwner(owner)).toEqual([]);
    expect(await s.destroyByOwner(owner)).toBe(0);
    const ids: string[] = [];
    for await (const found of s.ids()) ids.push(found);
    expect(ids).toEqual([]);
    expect(await s.create(id, record({ data: { fresh: true } }))).toBe(true);
    expect((await s.get(id))?.data).toEqual({ fresh: true });
    expect(await s.create(id, record({ data: { third: true } }))).toBe(false);
  });

  it("destroy answers false for an expired row and removes it; true for a live one", async () => {
    const s = store();
    const expired = await expiredRow(s);
    const live = newId();
    await s.create(live, record());
    expect(await s.destroy(expired)).toBe(false);
    expect(await count(s, `id = '${expired}'`)).toBe(0);
    expect(await s.destroy(live)).toBe(true);
    expect(await count(s)).toBe(0);
  });

  it("prune() deletes only expired rows, in batches of batchSize, and answers how many", async () => {
    const s = store({ batchSize: 10 });
    for (let i = 0; i < 25; i++) await expiredRow(s);
    const live = [newId(), newId(), newId()];
    for (const id of live) await s.create(id, record());
    expect(await s.prune()).toBe(25);
    expect(await count(s)).toBe(3);
    expect(await s.prune()).toBe(0);
    for (const id of live) expect(await s.get(id)).not.toBeNull();
  });

  it("pruneIntervalSeconds prunes on its own; dispose() stops it", async () => {
    const s = store({ pruneIntervalSeconds: 0.05 });
    await expiredRow(s);
    const deadline = Date.now() + 5_000;
    while ((await count(s)) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await count(s)).toBe(0);
    await s.dispose();
    await expiredRow(s);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count(s)).toBe(1);
  });

  it("reports a failed timed prune to onPruneError", async () => {
    const errors: unknown[] = [];
    const s = store({ createTableIfMissing: false, pruneIntervalSeconds: 0.05, onPruneError: (error) => errors.push(error) });
    const deadline = Date.now() + 5_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await s.dispose();
    expect(errors[0]).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE", message: expect.stringMatching(/does not exist/) });
  });

  it("ids() pages through every live ID in ID order", async () => {
    const s = store({ batchSize: 3 });
    const created = Array.from({ length: 8 }, () => newId());
    for (const id of created) await s.create(id, record());
    const ids: string[] = [];
    for await (const id of s.ids()) ids.push(id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids)).toEqual(new Set(created));
  });
});

describe("schema", () => {
  it("sql/create-table.sql holds exactly the DDL createTableSql() builds for the default names", async () => {
    const file = await readFile(new URL("../sql/create-table.sql", import.meta.url), "utf8");
    const statements = file
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n")
      .split(";")
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements).toEqual(createTableSql());
  });

  it("quotes any table and schema name, and creates the table with its two indexes", async () => {
    const schemaName = `Sch "${Math.random().toString(36).slice(2, 8)}`;
    const tableName = `Sess"ions; DROP TABLE x; --`;
    await db.sql(`CREATE SCHEMA "${schemaName.replaceAll('"', '""')}"`);
    const s = store({ schemaName, tableName });
    const id = newId();
    expect(await s.create(id, record({ owner: "o" }))).toBe(true);
    expect((await s.listByOwner("o")).map((entry) => entry.id)).toEqual([id]);
    const indexes = await db.sql("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname", [
      schemaName,
      tableName,
    ]);
    expect(indexes.map((row) => row[0])).toEqual([`${tableName}_expires_at_idx`, `${tableName}_owner_idx`, `${tableName}_pkey`]);
    expect(String(indexes[1]?.[1])).toMatch(/WHERE \(owner IS NOT NULL\)/);
  });

  it("two stores creating the same missing table at once both succeed", async () => {
    const tableName = uniqueTable("race");
    const [a, b] = [store({ tableName }), store({ tableName })];
    const [first, second] = [newId(), newId()];
    expect(await Promise.all([a.create(first, record()), b.create(second, record())])).toEqual([true, true]);
    expect(await b.get(first)).not.toBeNull();
  });

  it("without createTableIfMissing, a missing table is STORE_UNAVAILABLE saying how to create it", async () => {
    const s = store({ createTableIfMissing: false });
    await expect(s.get(newId())).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: expect.stringMatching(/^\[tessera\] \[postgres\] get failed: the table .* does not exist\. Pass createTableIfMissing: true/),
    });
  });
});

describe("statements", () => {
  it("prepares each statement once per connection under a name unique to its SQL text (pg Client)", async () => {
    const client = await connectClient("pg Client", inject("postgresUrl"));
    try {
      const [a, b] = [
        postgresStore({ client: client.client as never, tableName: uniqueTable("prep_a"), createTableIfMissing: true }),
        postgresStore({ client: client.client as never, tableName: uniqueTable("prep_b"), createTableIfMissing: true }),
      ];
      for (const s of [a, b]) expect(await s.get(newId())).toBeNull();
      const names = (await client.sql("SELECT name FROM pg_prepared_statements ORDER BY name")).map((row) => String(row[0]));
      expect(names.filter((name) => name.startsWith("tessera_get_"))).toHaveLength(2);
      const unprepared = postgresStore({
        client: client.client as never,
        tableName: uniqueTable("prep_c"),
        createTableIfMissing: true,
        prepareStatements: false,
      });
      expect(await unprepared.get(newId())).toBeNull();
      expect((await client.sql("SELECT count(*) FROM pg_prepared_statements"))[0]?.[0]).toBe(String(names.length));
    } finally {
      await client.close();
    }
  });

  it("rejects data keys and owners PostgreSQL text cannot hold with INVALID_ARGUMENT, before any statement", async () => {
    const s = store();
    const id = newId();
    const now = Date.now();
    await expect(s.create(id, record({ data: { "a\u0000b": 1 } }))).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(s.create(id, record({ data: { "\ud800": 1 } }))).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(s.create(id, record({ owner: "o\u0000" }))).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await s.create(id, record());
    await expect(s.patch(id, { set: {}, unset: ["x\u0000"], lastSeenAt: now, expiresAt: now + 1_000 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    // A paired surrogate (an emoji) is fine.
    expect(await s.patch(id, { set: { "😀": "😀" }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
    expect((await s.get(id))?.data).toEqual({ n: 1, "😀": "😀" });
  });
});

describe("options", () => {
  it("throws INVALID_CONFIG at once for a bad client or option", () => {
    const client = db.client as never;
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /needs an options object/],
      [{}, /`client` is required/],
      [{ client: { sendCommand() {}, isOpen: true, isReady: true } }, /not a supported PostgreSQL client/],
      [{ client: { query() {} } }, /not a supported PostgreSQL client/],
      [{ client, tableName: "" }, /`tableName` must be a non-empty string/],
      [{ client, tableName: "x".repeat(49) }, /at most 48 bytes/],
      [{ client, schemaName: "a\u0000" }, /NUL/],
      [{ client, queryTimeoutMs: -1 }, /queryTimeoutMs/],
      [{ client, pruneIntervalSeconds: -1 }, /pruneIntervalSeconds/],
      [{ client, pruneIntervalSeconds: Number.NaN }, /pruneIntervalSeconds/],
      [{ client, batchSize: 0 }, /batchSize/],
      [{ client, createTableIfMissing: "yes" }, /createTableIfMissing/],
      [{ client, onPruneError: "log" }, /onPruneError/],
    ];
    for (const [options, message] of bad) {
      let thrown: unknown;
      try {
        postgresStore(options as never);
      } catch (error) {
        thrown = error;
      }
      expect(isSessionError(thrown), String(message)).toBe(true);
      expect(thrown).toMatchObject({ code: "INVALID_CONFIG", message: expect.stringMatching(message) });
    }
  });
});
