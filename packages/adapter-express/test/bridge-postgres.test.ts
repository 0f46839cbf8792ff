/**
 * The store bridge on connect-pg-simple (built on this package's `session`) against a real
 * PostgreSQL server started for this file (Debian's postgresql, in a temporary data directory).
 * A second PGStore in another schema serves the prefix-isolation and dispose cases (connect-pg-simple
 * names its primary key `session_pkey` whatever the table, so two tables cannot share a schema).
 * connect-pg-simple cannot list records (no `all`), so the owner cases and ids() are skipped by
 * the suite with that reason.
 */
import { type PostgresServer, startPostgres } from "@tessera/test-postgres";
import createPgStore from "connect-pg-simple";
import type expressSession from "express-session";
import pg from "pg";
import { describe } from "vitest";
import session from "../src/index.js";
import { bridgeConformance } from "./bridge-fixtures.js";

describe("connect-pg-simple on PostgreSQL", () => {
  const PgStore = createPgStore(session as unknown as typeof expressSession);
  let server: PostgresServer | undefined;
  let pool: pg.Pool | undefined;
  const open = (schemaName: string) => {
    if (pool === undefined) throw new Error("the pool was not created");
    return new PgStore({ pool, schemaName, createTableIfMissing: true, pruneSessionInterval: false });
  };
  bridgeConformance(
    "connect-pg-simple",
    {
      open: async () => {
        server = await startPostgres();
        await server.psql("create schema bridge_a; create schema bridge_b;");
        pool = new pg.Pool({ connectionString: server.url, max: 4 });
        return open("bridge_a");
      },
      isolated: () => open("bridge_b"),
      clientStillOpen: async () => (await pool?.query("select 1 as one"))?.rows[0]?.one === 1,
      close: async () => {
        await pool?.end();
        await server?.stop();
      },
    },
    { ownerIndex: false, ids: false },
  );
});
