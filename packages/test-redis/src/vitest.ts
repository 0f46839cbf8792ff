/**
 * vitest integration: a `globalSetup` that starts the servers once per run and `provide`s their
 * addresses, and typed `inject` keys for the tests.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { redisGlobalSetup } from "@tessera/test-redis/vitest";
 * export default redisGlobalSetup({ cluster: true });
 *
 * // vitest.config.ts: test: { globalSetup: ["test/global-setup.ts"] }
 *
 * // a test file
 * import { inject } from "vitest";
 * import "@tessera/test-redis/vitest"; // types of the provided keys
 * const url = inject("redisUrl");
 * const clusterUrls = inject("redisClusterUrls");
 * ```
 */
import type {} from "vitest";
import { type RedisCluster, startRedisCluster } from "./redis-cluster.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the standalone server (when `redisGlobalSetup({ standalone: true })`). */
    redisUrl: string;
    /** One URL per master of the cluster (when `redisGlobalSetup({ cluster: true })`). */
    redisClusterUrls: string[];
  }
}

/** Options of {@link redisGlobalSetup}. */
export interface RedisGlobalSetupOptions {
  /** Start one standalone server and provide `redisUrl`. Default true. */
  standalone?: boolean;
  /** Start a 3-master cluster and provide `redisClusterUrls`. Default false (it takes a few seconds). */
  cluster?: boolean;
}

/** The part of vitest's `TestProject` a global setup uses (kept structural: no runtime import of vitest). */
export interface ProvidingProject {
  provide(key: "redisUrl", value: string): void;
  provide(key: "redisClusterUrls", value: string[]): void;
}

/**
 * Builds a vitest `globalSetup` function: it starts the requested servers, provides their
 * addresses, and its teardown stops them (also after failed tests). If the run is killed, the
 * servers are killed with it (see the package README).
 */
export function redisGlobalSetup(options: RedisGlobalSetupOptions = {}): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    let server: RedisServer | undefined;
    let cluster: RedisCluster | undefined;
    const stop = async () => {
      await Promise.all([server?.stop(), cluster?.stop()]);
    };
    try {
      [server, cluster] = await Promise.all([
        options.standalone === false ? undefined : startRedisServer(),
        options.cluster === true ? startRedisCluster() : undefined,
      ]);
    } catch (error) {
      await stop();
      throw error;
    }
    if (server) project.provide("redisUrl", server.url);
    if (cluster) project.provide("redisClusterUrls", cluster.urls);
    return stop;
  };
}
