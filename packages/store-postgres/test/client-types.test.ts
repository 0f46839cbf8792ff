/**
 * The real clients' TypeScript types are accepted as they are (no cast): `pnpm typecheck` compiles
 * this file, and the test checks the detection at run time.
 */
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";

describe("client types", () => {
  it("accepts a pg Pool, a pg Client and a postgres.js sql instance without a cast (none of them connects here)", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://127.0.0.1:1/none" });
    const client = new pg.Client({ connectionString: "postgres://127.0.0.1:1/none" });
    const sql = postgres("postgres://127.0.0.1:1/none");
    expect(postgresStore({ client: pool }).clientKind).toBe("pg-pool");
    expect(postgresStore({ client }).clientKind).toBe("pg-client");
    expect(postgresStore({ client: sql }).clientKind).toBe("postgres-js");
    await Promise.all([pool.end(), sql.end()]);
  });

  it("accepts a PGlite database without a cast", () => {
    // Typed only: creating a PGlite instance takes seconds; the conformance suite runs one.
    const typed = (db: PGlite) => postgresStore({ client: db });
    expect(typeof typed).toBe("function");
  });
});
