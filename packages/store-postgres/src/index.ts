/**
 * @tessera/store-postgres — Tessera sessions in PostgreSQL through node-postgres (`Pool`,
 * `Client`), postgres.js or PGlite.
 *
 * @example
 * ```ts
 * import { createSessionManager } from "@tessera/core";
 * import { postgresStore } from "@tessera/store-postgres";
 * import pg from "pg";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const sessions = createSessionManager({
 *   secrets: [process.env.SESSION_SECRET],
 *   store: postgresStore({ client: pool, createTableIfMissing: true }),
 * });
 * ```
 * @module
 */
export type { PGliteLike, PgQueryableLike, PostgresClientLike, PostgresJsLike } from "./client-types.js";
export type { ClientKind } from "./driver.js";
export { DEFAULT_BATCH_SIZE, DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_TABLE_NAME, type PostgresStoreOptions } from "./options.js";
export { type PostgresStore, postgresStore } from "./postgres-store.js";
export { createTableSql, type TableLocation } from "./schema.js";
