/**
 * The client shapes the store accepts, described structurally so that none of `pg`, `postgres`
 * or `@electric-sql/pglite` is imported (all are optional peer dependencies). Pass the client the
 * app already has; the store only runs statements through it and never closes it.
 */

/** A node-postgres (`pg`) `Pool` or `Client` (also a `PoolClient`). */
export interface PgQueryableLike {
  query(config: {
    text: string;
    values?: unknown[];
    name?: string;
    rowMode?: "array";
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(...args: never[]): unknown;
}

/** A postgres.js (`postgres`) `sql` instance. */
export interface PostgresJsLike {
  (...args: never[]): unknown;
  unsafe(query: string, parameters?: unknown[], options?: { prepare?: boolean }): PromiseLike<unknown> & { values(): PromiseLike<unknown> };
  end(...args: never[]): unknown;
}

/** A PGlite (`@electric-sql/pglite`) database, in this process or in a worker. */
export interface PGliteLike {
  query(query: string, params?: unknown[], options?: { rowMode?: "array" | "object" }): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(query: string): Promise<unknown>;
  transaction(...args: never[]): Promise<unknown>;
}

/** Any client {@link postgresStore} accepts. */
export type PostgresClientLike = PgQueryableLike | PostgresJsLike | PGliteLike;
