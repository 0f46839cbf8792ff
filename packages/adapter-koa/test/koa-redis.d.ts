// koa-redis ships no types: what these tests use of it.
declare module "koa-redis" {
  import type { Redis } from "ioredis";
  export default function koaRedis(options: { client: Redis }): {
    get(key: string): Promise<unknown>;
    set(key: string, session: unknown, maxAgeMs?: number): Promise<unknown>;
    destroy(key: string): Promise<unknown>;
  };
}
