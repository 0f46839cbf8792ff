/**
 * The options every Tessera case gives its adapter (the same for all three): the bench secret and
 * the core's memory store with its defaults, `@tessera/store-redis` on a node-redis v5 client, or
 * `@tessera/store-postgres` on a node-postgres pool.
 */
import type { SessionManagerOptions } from "@tessera/core";
import { memoryStore } from "@tessera/core";
import type { CaseSpec } from "../cases.js";
import { BENCH_SECRET } from "../scenarios.js";
import { connectPostgres } from "./postgres-client.js";
import { connectRedis } from "./redis-client.js";
import { requirePostgresUrl, requireRedisUrl, type ServerEnv } from "./server-env.js";

export async function tesseraOptions(spec: CaseSpec, env: ServerEnv): Promise<SessionManagerOptions> {
  const base: SessionManagerOptions = { secrets: [BENCH_SECRET] };
  if (env.touchAfterSeconds !== undefined) base.touchAfterSeconds = env.touchAfterSeconds;
  if (spec.store === "memory") return { ...base, store: memoryStore() };
  if (spec.store === "redis") {
    const { redisStore } = await import("@tessera/store-redis");
    const client = await connectRedis(requireRedisUrl(env));
    return { ...base, store: redisStore({ client, prefix: "tessera:" }) };
  }
  if (spec.store === "postgres") {
    const { postgresStore } = await import("@tessera/store-postgres");
    const client = await connectPostgres(requirePostgresUrl(env));
    return { ...base, store: postgresStore({ client, createTableIfMissing: true }) };
  }
  throw new Error(`tessera: unsupported store "${spec.store}" for ${spec.id}`);
}
