/**
 * Tells the supported clients apart by their shape (no import of `pg`, `postgres` or PGlite), and
 * rejects anything else at startup with a message that says what to pass.
 */
import type { PGliteLike, PgQueryableLike, PostgresJsLike } from "./client-types.js";
import type { PostgresDriver } from "./driver.js";
import { pgDriver, pgliteDriver, postgresJsDriver } from "./drivers.js";
import { configError } from "./messages.js";

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}

const WHAT_TO_PASS =
  "Pass a node-postgres `Pool` or `Client` (from `pg`), a postgres.js `sql` instance (from `postgres`), or a PGlite database (from `@electric-sql/pglite`).";

/** Returns the driver for `client`, or throws `INVALID_CONFIG`. */
export function driverFor(client: unknown, prepare: boolean): PostgresDriver {
  if (typeof client === "function") {
    const sql = client as unknown as Record<string, unknown>;
    if (isFunction(sql.unsafe) && isFunction(sql.begin) && isFunction(sql.end)) return postgresJsDriver(client as PostgresJsLike, prepare);
  }
  if (typeof client !== "object" || client === null) throw configError(`\`client\` is required. ${WHAT_TO_PASS}`);
  const candidate = client as Record<string, unknown>;
  if (!isFunction(candidate.query)) throw configError(`\`client\` is not a supported PostgreSQL client. ${WHAT_TO_PASS}`);
  if (isFunction(candidate.exec) && isFunction(candidate.transaction) && "waitReady" in candidate)
    return pgliteDriver(client as PGliteLike);
  if (isFunction(candidate.connect)) {
    if (typeof candidate.totalCount === "number" && typeof candidate.idleCount === "number") {
      return pgDriver(client as PgQueryableLike, "pg-pool", prepare);
    }
    if (typeof candidate.connectionParameters === "object" && candidate.connectionParameters !== null) {
      return pgDriver(client as PgQueryableLike, "pg-client", prepare);
    }
  }
  throw configError(`\`client\` is not a supported PostgreSQL client. ${WHAT_TO_PASS}`);
}
