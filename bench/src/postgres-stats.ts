/**
 * SQL statements per request, counted by the server's `pg_stat_statements` (the bench's PostgreSQL
 * is started with it preloaded): a census over sequential requests before measuring, and the calls
 * over the measured slices.
 */
import type { PostgresServer } from "@tessera/test-postgres";

/** Statements per request, split by what they do. */
export interface StatementCensus {
  /** SELECTs per request. */
  reads: number;
  /** INSERT / UPDATE / DELETE per request. */
  writes: number;
  /** Calls per request by normalized statement text (whitespace collapsed, cut at 120 characters). */
  byStatement: Record<string, number>;
}

/** Loads the extension once; the server must preload `pg_stat_statements`. */
export async function enableStatementStats(server: PostgresServer): Promise<void> {
  await server.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
}

export async function resetStatementStats(server: PostgresServer): Promise<void> {
  await server.psql("SELECT pg_stat_statements_reset()");
}

/** Calls by statement since the last reset, leaving out the bench's own statistics queries. */
export async function readStatementStats(server: PostgresServer): Promise<Map<string, number>> {
  const output = await server.psql(
    `SELECT left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 120), calls FROM pg_stat_statements
     WHERE query NOT ILIKE '%pg_stat_statements%' AND toplevel`,
  );
  const calls = new Map<string, number>();
  for (const line of output.split("\n").filter(Boolean)) {
    const separator = line.lastIndexOf("|");
    const text = line.slice(0, separator);
    calls.set(text, (calls.get(text) ?? 0) + Number(line.slice(separator + 1)));
  }
  return calls;
}

/** What kind of statement `text` is: a read, a write, or neither (DDL, SET, transaction control). */
export function statementKind(text: string): "read" | "write" | "other" {
  const verb = /^\s*(?:WITH\b.*?\)\s*)?(\w+)/is.exec(text)?.[1]?.toUpperCase();
  if (verb === "SELECT") return "read";
  if (verb === "INSERT" || verb === "UPDATE" || verb === "DELETE") return "write";
  return "other";
}

/** Per-request figures from the calls made over `requests` requests. */
export function statementsPerRequest(calls: Map<string, number>, requests: number): StatementCensus {
  const census: StatementCensus = { reads: 0, writes: 0, byStatement: {} };
  if (requests === 0) return census;
  for (const [text, count] of calls) {
    const kind = statementKind(text);
    if (kind === "read") census.reads += count / requests;
    if (kind === "write") census.writes += count / requests;
    census.byStatement[text] = count / requests;
  }
  return census;
}
