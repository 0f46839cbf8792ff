/**
 * The demo's store: in memory by default; Redis (through @tessera/store-redis and node-redis)
 * when `REDIS_URL` is set. The Redis client is loaded only then.
 */
import { memoryStore, type Store } from "@tessera/core";

/** A store and how to release what it opened. */
export interface DemoStore {
  store: Store;
  /** "memory" or the Redis URL. */
  description: string;
  close(): Promise<void>;
}

export async function createDemoStore(redisUrl = process.env.REDIS_URL): Promise<DemoStore> {
  if (!redisUrl) return { store: memoryStore(), description: "memory", close: async () => {} };
  const [{ createClient }, { redisStore }] = await Promise.all([import("redis"), import("@tessera/store-redis")]);
  const client = createClient({ url: redisUrl });
  const errors: unknown[] = [];
  // node-redis requires an error listener; the store reports failures to the app through the session manager.
  client.on("error", (error: unknown) => errors.push(error));
  await client.connect();
  return {
    store: redisStore({ client, prefix: "tessera-demo:" }),
    description: redisUrl,
    close: async () => {
      await client.quit();
    },
  };
}
