/**
 * The demo's store: in memory by default; Redis (through @tessera/store-redis and node-redis)
 * when `REDIS_URL` is set; PostgreSQL (through @tessera/store-postgres and a node-postgres pool)
 * when `DATABASE_URL` is set instead. Each client library is loaded only when it is used.
 */
import { memoryStore, type Store } from "@tessera/core";

/** A store and how to release what it opened. */
export interface DemoStore {
  store: Store;
  /** "memory", or the Redis or PostgreSQL URL. */
  description: string;
  close(): Promise<void>;
}

export async function createDemoStore(redisUrl = process.env.REDIS_URL, databaseUrl = process.env.DATABASE_URL): Promise<DemoStore> {
  if (redisUrl) return redisDemoStore(redisUrl);
  if (databaseUrl) return postgresDemoStore(databaseUrl);
  return { store: memoryStore(), description: "memory", close: async () => {} };
}

async function redisDemoStore(redisUrl: string): Promise<DemoStore> {
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

async function postgresDemoStore(databaseUrl: string): Promise<DemoStore> {
  const [{ default: pg }, { postgresStore }] = await Promise.all([import("pg"), import("@tessera/store-postgres")]);
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle connection the server drops is reported on the pool; the next request reconnects.
  pool.on("error", () => {});
  const store = postgresStore({ client: pool, tableName: "tessera_demo_sessions", createTableIfMissing: true, pruneIntervalSeconds: 600 });
  return {
    store,
    description: databaseUrl,
    close: async () => {
      await store.dispose();
      await pool.end();
    },
  };
}
