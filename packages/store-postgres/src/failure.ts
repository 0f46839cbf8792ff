/**
 * Bounds every store operation in time and turns failures into the core's typed errors:
 * - a statement cancelled by the server (`statement_timeout`, `lock_timeout`) → `STORE_TIMEOUT`;
 * - a missing table → `STORE_UNAVAILABLE` saying how to create it;
 * - any other failure (connection refused or cut, server shutting down, ...) → `STORE_UNAVAILABLE`
 *   with the client's error as `cause`;
 * - no answer within `queryTimeoutMs` → `STORE_TIMEOUT`.
 * The timer and the late-answer rules are the core's `storeDeadline`.
 */
import { isSessionError, type SessionError, type StoreDeadline, storeDeadline } from "@tessera/core";
import { storeError } from "./messages.js";

/** SQLSTATEs meaning the server gave up waiting: query_canceled (statement_timeout), lock_not_available (lock_timeout). */
const TIMEOUT_STATES = new Set(["57014", "55P03"]);
const UNDEFINED_TABLE = "42P01";

function sqlState(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The typed error for a failure of `operation` on `table`. */
export function failure(operation: string, cause: unknown, table: string): SessionError {
  if (isSessionError(cause)) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const state = sqlState(cause);
  if (state !== undefined && TIMEOUT_STATES.has(state)) {
    return storeError("STORE_TIMEOUT", `${operation} was cancelled by PostgreSQL (${state}): ${detail}`, cause);
  }
  if (state === UNDEFINED_TABLE) {
    return storeError(
      "STORE_UNAVAILABLE",
      `${operation} failed: the table ${table} does not exist. Pass createTableIfMissing: true, or create it with createTableSql() or sql/create-table.sql.`,
      cause,
    );
  }
  return storeError("STORE_UNAVAILABLE", `${operation} failed: ${detail}${state === undefined ? "" : ` (SQLSTATE ${state})`}`, cause);
}

function timeout(operation: string, timeoutMs: number): SessionError {
  return storeError(
    "STORE_TIMEOUT",
    `${operation} got no answer within ${timeoutMs} ms: PostgreSQL is slow, unreachable or waiting on a lock, or the client has no free connection.`,
  );
}

/** Creates the deadline wrapper for one store. `timeoutMs` 0 disables the timer (errors are still typed). */
export function createDeadline(timeoutMs: number, table: string): StoreDeadline {
  return storeDeadline({
    timeoutMs,
    failure: (operation, cause) => failure(operation, cause, table),
    timeout: (operation) => timeout(operation, timeoutMs),
  });
}
