/** One node-postgres pool per server process, shared by Tessera's store and connect-pg-simple. */
import type pg from "pg";

/** Connections per server process: as many as the load generator opens, so no request waits for one. */
const POOL_SIZE = 10;

/** Imported lazily: only PostgreSQL cases load the client library. */
export async function connectPostgres(url: string): Promise<pg.Pool> {
  const { default: pgModule } = await import("pg");
  const pool = new pgModule.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on("error", (error: unknown) => {
    process.stderr.write(`[bench server] postgres pool error: ${String(error)}\n`);
  });
  return pool;
}
