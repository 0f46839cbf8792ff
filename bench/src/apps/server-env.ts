/** What a server process is told by the orchestrator. */
import type { Scenario } from "../scenarios.js";

export interface ServerEnv {
  /** The case's id, see `cases.ts`. */
  caseId: string;
  scenario: Scenario;
  /** `redis://127.0.0.1:<port>` for Redis cases. */
  redisUrl?: string;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` for PostgreSQL cases. */
  postgresUrl?: string;
  /** Tessera cases: the manager's `touchAfterSeconds` (the touch-throttle check sets it). */
  touchAfterSeconds?: number;
}

/** The Redis URL a Redis case needs; throws when the orchestrator did not pass one. */
export function requireRedisUrl(env: ServerEnv): string {
  if (!env.redisUrl) throw new Error(`case ${env.caseId} needs a Redis URL`);
  return env.redisUrl;
}

/** The PostgreSQL URL a PostgreSQL case needs; throws when the orchestrator did not pass one. */
export function requirePostgresUrl(env: ServerEnv): string {
  if (!env.postgresUrl) throw new Error(`case ${env.caseId} needs a PostgreSQL URL`);
  return env.postgresUrl;
}
