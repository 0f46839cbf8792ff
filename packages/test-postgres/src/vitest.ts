/**
 * vitest integration: a `globalSetup` that starts one PostgreSQL server per run and `provide`s its
 * URL, and the typed `inject` key for the tests.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { postgresGlobalSetup } from "@tessera/test-postgres/vitest";
 * export default postgresGlobalSetup();
 *
 * // vitest.config.ts: test: { globalSetup: ["test/global-setup.ts"] }
 *
 * // a test file
 * import { inject } from "vitest";
 * import "@tessera/test-postgres/vitest"; // type of the provided key
 * const url = inject("postgresUrl");
 * ```
 */
import type {} from "vitest";
import { type StartPostgresOptions, startPostgres } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `postgres://postgres@127.0.0.1:<port>/postgres` of the server the global setup started. */
    postgresUrl: string;
  }
}

/** The part of vitest's `TestProject` a global setup uses (kept structural: no runtime import of vitest). */
export interface ProvidingProject {
  provide(key: "postgresUrl", value: string): void;
}

/**
 * Builds a vitest `globalSetup` function: it starts one server (with `options`), provides its URL
 * as `postgresUrl`, and its teardown stops it (also after failed tests). If the run is killed, the
 * server is killed with it.
 */
export function postgresGlobalSetup(options: StartPostgresOptions = {}): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const server = await startPostgres(options);
    project.provide("postgresUrl", server.url);
    return () => server.stop();
  };
}
