/** One node-redis (v5) client per server process, shared by Tessera's store and connect-redis. */
import type { createClient } from "redis";

export type BenchRedisClient = ReturnType<typeof createClient>;

/** Imported lazily: only Redis cases load the client library. */
export async function connectRedis(url: string): Promise<BenchRedisClient> {
  const { createClient } = await import("redis");
  const client = createClient({ url });
  client.on("error", (error: unknown) => {
    process.stderr.write(`[bench server] redis client error: ${String(error)}\n`);
  });
  await client.connect();
  return client;
}
