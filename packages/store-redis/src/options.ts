/** Options of `redisStore`, with their validation (mistakes throw at startup). */
import type { RedisClientLike } from "./client-types.js";
import { configError } from "./messages.js";

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * The connected client to use: a node-redis v4/v5/v6 client (`createClient()`) or cluster
   * (`createCluster()`), or an ioredis v5/v6 `Redis` or `Cluster`. Required. The store only sends
   * commands through it: connect it before the first request and close it yourself on shutdown
   * (`dispose()` never closes it).
   */
  client: RedisClientLike;
  /**
   * Prepended to every key the store writes. Default `"tessera:"`. Give each app (or each test)
   * its own prefix when several share one Redis. Must not contain `{` or `}`: the store puts the
   * session ID in a Cluster hash tag itself. An ioredis `keyPrefix` is applied on top of it.
   * @default "tessera:"
   */
  prefix?: string;
  /**
   * Longest time one store operation may take, in ms, before it fails with `STORE_TIMEOUT` (or
   * `STORE_UNAVAILABLE` when the client is disconnected). Default 2000. Keep it below the
   * manager's `storeTimeoutMs` (default 5000) so the more specific error wins; `0` disables it
   * (the manager's timeout still applies).
   * @default 2000
   */
  commandTimeoutMs?: number;
  /**
   * `COUNT` hint for the SCAN behind `ids()`: keys examined per round trip on each node.
   * Default 1000. Lower it to keep each SCAN step shorter on a busy server.
   * @default 1000
   */
  scanCount?: number;
}

/** Options after validation, defaults applied. */
export interface ResolvedRedisStoreOptions {
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly scanCount: number;
}

export const DEFAULT_PREFIX = "tessera:";
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
export const DEFAULT_SCAN_COUNT = 1_000;

/** Validates everything except `client` (see `detect-client.ts`). */
export function resolveOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== "string") throw configError(`\`prefix\` must be a string, got ${typeof prefix}.`);
  if (prefix.includes("{") || prefix.includes("}")) {
    throw configError(
      `\`prefix\` must not contain "{" or "}" (got ${JSON.stringify(prefix)}): the store adds a Cluster hash tag around each session ID itself.`,
    );
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (typeof commandTimeoutMs !== "number" || !Number.isFinite(commandTimeoutMs) || commandTimeoutMs < 0) {
    throw configError(`\`commandTimeoutMs\` must be a number of milliseconds >= 0 (0 disables it), got ${String(commandTimeoutMs)}.`);
  }
  const scanCount = options.scanCount ?? DEFAULT_SCAN_COUNT;
  if (!Number.isInteger(scanCount) || scanCount < 1) {
    throw configError(`\`scanCount\` must be a positive integer, got ${String(scanCount)}.`);
  }
  return { prefix, commandTimeoutMs, scanCount };
}
