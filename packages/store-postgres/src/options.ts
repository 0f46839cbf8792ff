/** Options of `postgresStore`, with their validation (mistakes throw at startup). */
import type { SessionError } from "@tessera/core";
import type { PostgresClientLike } from "./client-types.js";
import { checkIdentifier, MAX_IDENTIFIER_BYTES } from "./identifiers.js";
import { configError } from "./messages.js";

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The client to use: a node-postgres `Pool` or `Client` (`pg`), a postgres.js `sql` instance
   * (`postgres`), or a PGlite database (`@electric-sql/pglite`). Required. The store only runs
   * statements through it: close it yourself on shutdown (`dispose()` never closes it).
   */
  client: PostgresClientLike;
  /**
   * The session table's name, used verbatim (quoted). At most 48 bytes, so that the index names
   * derived from it (`<table>_expires_at_idx`, `<table>_owner_idx`) fit PostgreSQL's 63.
   * @default "tessera_sessions"
   */
  tableName?: string;
  /**
   * The schema holding the table.
   * @default undefined (the connection's `search_path`, usually `public`)
   */
  schemaName?: string;
  /**
   * Create the table and its indexes (`CREATE ... IF NOT EXISTS`) before the first operation.
   * Leave it off when migrations own the schema (`createTableSql()` / `sql/create-table.sql`).
   * @default false
   */
  createTableIfMissing?: boolean;
  /**
   * Longest time one store operation may take, in ms, before it fails with `STORE_TIMEOUT`. Keep
   * it below the manager's `storeTimeoutMs` (default 5000) so the more specific error wins; `0`
   * disables it (the manager's timeout still applies). A late answer is ignored.
   * @default 2000
   */
  queryTimeoutMs?: number;
  /**
   * Run `prune()` every this many seconds on an unreferenced timer that `dispose()` stops. `0`
   * leaves pruning to you (call `prune()` from a scheduled job); expired rows are never returned
   * either way, pruning only reclaims their space.
   * @default 0
   */
  pruneIntervalSeconds?: number;
  /**
   * Called with the error when a timed prune fails (the next interval tries again).
   * @default undefined (the failure is ignored)
   */
  onPruneError?: (error: SessionError) => void;
  /**
   * Rows per statement for `prune()` (expired rows deleted per batch) and `ids()` (IDs per page).
   * @default 1000
   */
  batchSize?: number;
  /**
   * Use named prepared statements (node-postgres) and `prepare: true` (postgres.js), parsed and
   * planned once per connection. Turn it off behind a pooler that cannot keep prepared statements
   * (PgBouncer in transaction mode before 1.21). PGlite ignores it.
   * @default true
   */
  prepareStatements?: boolean;
}

/** Options after validation, defaults applied (the client is checked in `detect-client.ts`). */
export interface ResolvedPostgresStoreOptions {
  readonly tableName: string;
  readonly schemaName: string | undefined;
  readonly createTableIfMissing: boolean;
  readonly queryTimeoutMs: number;
  readonly pruneIntervalSeconds: number;
  readonly onPruneError: ((error: SessionError) => void) | undefined;
  readonly batchSize: number;
  readonly prepareStatements: boolean;
}

export const DEFAULT_TABLE_NAME = "tessera_sessions";
export const DEFAULT_QUERY_TIMEOUT_MS = 2_000;
export const DEFAULT_BATCH_SIZE = 1_000;
/** Room for the longest index-name suffix, `_expires_at_idx`. */
const MAX_TABLE_NAME_BYTES = MAX_IDENTIFIER_BYTES - "_expires_at_idx".length;
/** Node's setTimeout cannot wait longer (about 24.8 days). */
const MAX_TIMER_SECONDS = 2_147_483;

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw configError(`\`${name}\` must be true or false, got ${String(value)}.`);
  return value;
}

/** Validates everything except `client`. */
export function resolveOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  const tableName = checkIdentifier("tableName", options.tableName ?? DEFAULT_TABLE_NAME, MAX_TABLE_NAME_BYTES);
  const schemaName = options.schemaName === undefined ? undefined : checkIdentifier("schemaName", options.schemaName);
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  if (typeof queryTimeoutMs !== "number" || !Number.isFinite(queryTimeoutMs) || queryTimeoutMs < 0) {
    throw configError(`\`queryTimeoutMs\` must be a number of milliseconds >= 0 (0 disables it), got ${String(queryTimeoutMs)}.`);
  }
  const pruneIntervalSeconds = options.pruneIntervalSeconds ?? 0;
  if (typeof pruneIntervalSeconds !== "number" || !(pruneIntervalSeconds >= 0 && pruneIntervalSeconds <= MAX_TIMER_SECONDS)) {
    throw configError(
      `\`pruneIntervalSeconds\` must be a number of seconds from 0 (off) to ${MAX_TIMER_SECONDS}, got ${String(pruneIntervalSeconds)}.`,
    );
  }
  if (options.onPruneError !== undefined && typeof options.onPruneError !== "function") {
    throw configError(`\`onPruneError\` must be a function, got ${typeof options.onPruneError}.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw configError(`\`batchSize\` must be a positive integer, got ${String(batchSize)}.`);
  return {
    tableName,
    schemaName,
    createTableIfMissing: booleanOption("createTableIfMissing", options.createTableIfMissing, false),
    queryTimeoutMs,
    pruneIntervalSeconds,
    onPruneError: options.onPruneError,
    batchSize,
    prepareStatements: booleanOption("prepareStatements", options.prepareStatements, true),
  };
}
