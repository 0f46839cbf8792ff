/**
 * Through the real session manager: the statements each kind of request costs (counted by the
 * server's pg_stat_statements on a server of this file's own), and no lost update when 100
 * concurrent requests write different keys of one session.
 */
import { createSessionManager, type Session } from "@tessera/core";
import { type PostgresServer, startPostgres } from "@tessera/test-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-postgres/vitest";
import { inject } from "vitest";
import { postgresStore } from "../src/index.js";
import { type ClientName, connectClient, type TestClient, uniqueTable } from "./clients.js";

const SECRET = "postgres-manager-test-secret-0123456789abc";

/** Which store operation a normalized statement text belongs to. */
function operationOf(query: string): string {
  if (query.startsWith("SELECT data::text")) return "get";
  if (query.startsWith("INSERT INTO")) return "create";
  if (query.includes("SET data = (data ||")) return "patch";
  if (query.includes("SET last_seen_at =")) return "touch";
  if (query.startsWith("UPDATE")) return "replace";
  if (query.startsWith("DELETE")) return "destroy";
  return query;
}

describe.each<ClientName>(["pg Pool", "pg Client", "postgres.js"])("statements per request with %s", (name) => {
  let server: PostgresServer;
  let connection: TestClient;
  beforeAll(async () => {
    server = await startPostgres({ settings: { shared_preload_libraries: "pg_stat_statements" } });
    await server.psql("CREATE EXTENSION pg_stat_statements");
    connection = await connectClient(name, server.url);
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it("read = 1 statement; change = read + 1 patch; new = 1 insert; touch at most once per touchAfterSeconds", async () => {
    const table = uniqueTable("counted");
    let now = Date.now();
    const manager = createSessionManager<{ count: number }>({
      secrets: [SECRET],
      store: postgresStore({ client: connection.client as never, tableName: table, createTableIfMissing: true }),
      idleTimeoutSeconds: 3_600,
      touchAfterSeconds: 600,
      now: () => now,
    });
    let cookie = "";
    const request = async (change: (session: Session<{ count: number }>) => void) => {
      const session = await manager.load({ cookieHeader: cookie || null });
      change(session);
      await manager.commit(session, {
        appendSetCookie: (line) => {
          cookie = line.split(";")[0] ?? "";
        },
      });
      return session;
    };
    // The table exists before counting starts.
    await request((s) => s.set("count", 0));
    const statements = async (): Promise<Record<string, number>> => {
      const rows = await server.psql(
        `SELECT regexp_replace(query, '[[:space:]]+', ' ', 'g'), calls FROM pg_stat_statements WHERE query LIKE '%${table}%'`,
      );
      await server.psql("SELECT pg_stat_statements_reset()");
      const counts: Record<string, number> = {};
      for (const line of rows.split("\n").filter(Boolean)) {
        const separator = line.lastIndexOf("|");
        const operation = operationOf(line.slice(0, separator));
        counts[operation] = (counts[operation] ?? 0) + Number(line.slice(separator + 1));
      }
      return counts;
    };
    await statements();

    cookie = "";
    await request((s) => s.set("count", 1));
    expect(await statements()).toEqual({ create: 1 }); // C: new session

    await request(() => {});
    expect(await statements()).toEqual({ get: 1 }); // A: read, unchanged

    await request((s) => s.set("count", (s.get("count") ?? 0) + 1));
    expect(await statements()).toEqual({ get: 1, patch: 1 }); // B: one read, one delta write

    now += 599_000;
    await request(() => {});
    expect(await statements()).toEqual({ get: 1 }); // not yet due

    now += 2_000;
    await request(() => {});
    expect(await statements()).toEqual({ get: 1, touch: 1 }); // due: one touch

    const last = await request(() => {});
    expect(last.get("count")).toBe(2);
  });
});

describe.each<ClientName>(["pg Pool", "pg Client", "postgres.js"])("no lost update with %s", (name) => {
  let connection: TestClient;
  beforeAll(async () => {
    connection = await connectClient(name, inject("postgresUrl"));
  });
  afterAll(async () => {
    await connection?.close();
  });

  it("100 concurrent requests writing distinct keys of one session: all 100 kept", async () => {
    const manager = createSessionManager({
      secrets: [SECRET],
      // 100 statements queue for a few connections: a generous deadline keeps this about lost updates, not speed.
      store: postgresStore({
        client: connection.client as never,
        tableName: uniqueTable("lost_update"),
        createTableIfMissing: true,
        queryTimeoutMs: 30_000,
      }),
      storeTimeoutMs: 30_000,
    });
    let cookie = "";
    const first = await manager.load({ cookieHeader: null });
    first.set("base", true);
    await manager.commit(first, { appendSetCookie: (line) => (cookie = line.split(";")[0] ?? "") });

    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const session = await manager.load({ cookieHeader: cookie });
        expect(session.isNew).toBe(false);
        session.set(`k${i}`, i);
        await manager.commit(session, { appendSetCookie: () => {} });
      }),
    );

    const final = await manager.load({ cookieHeader: cookie });
    const data = final.toJSON() as Record<string, unknown>;
    expect(Object.keys(data)).toHaveLength(101);
    for (let i = 0; i < 100; i++) expect(data[`k${i}`]).toBe(i);
  });
});
