/**
 * The three driver implementations. Rows are requested as arrays (`rowMode: "array"`,
 * `.values()`), so column-name transforms an app configured on its client cannot change them.
 */
import type { PGliteLike, PgQueryableLike, PostgresJsLike } from "./client-types.js";
import type { ClientKind, PostgresDriver, QueryResult, Statement } from "./driver.js";

function arrays(rows: unknown): readonly (readonly unknown[])[] {
  return Array.isArray(rows) ? (rows as unknown[][]) : [];
}

/**
 * node-postgres `Pool` or `Client`: named statements are prepared once per connection. A `Client`
 * is one connection that runs one query at a time (pg 8 deprecates queueing on it), so the driver
 * queues the store's statements itself.
 */
export function pgDriver(client: PgQueryableLike, kind: Extract<ClientKind, "pg-pool" | "pg-client">, prepare: boolean): PostgresDriver {
  const send = async (statement: Statement, params: readonly (string | null)[]): Promise<QueryResult> => {
    const values = [...params];
    const result = await client.query(
      prepare && statement.name !== undefined
        ? { name: statement.name, text: statement.text, values, rowMode: "array" }
        : { text: statement.text, values, rowMode: "array" },
    );
    return { rows: arrays(result.rows), rowCount: result.rowCount ?? 0 };
  };
  if (kind === "pg-pool") return { kind, query: send };
  let tail: Promise<unknown> = Promise.resolve();
  return {
    kind,
    query(statement, params) {
      const next = tail.then(() => send(statement, params));
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

/** postgres.js: `unsafe` with `prepare` prepares once per connection by SQL text. */
export function postgresJsDriver(sql: PostgresJsLike, prepare: boolean): PostgresDriver {
  return {
    kind: "postgres-js",
    async query(statement, params) {
      const result = (await sql
        .unsafe(statement.text, [...params], { prepare: prepare && statement.name !== undefined })
        .values()) as unknown[] & { count?: number | null };
      return { rows: arrays(result), rowCount: result.count ?? 0 };
    },
  };
}

/** PGlite: one embedded connection; it serializes concurrent statements itself. */
export function pgliteDriver(db: PGliteLike): PostgresDriver {
  return {
    kind: "pglite",
    async query(statement, params): Promise<QueryResult> {
      const result = await db.query(statement.text, [...params], { rowMode: "array" });
      return { rows: arrays(result.rows), rowCount: result.affectedRows ?? 0 };
    },
  };
}
