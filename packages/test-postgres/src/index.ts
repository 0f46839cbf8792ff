/**
 * @tessera/test-postgres — throwaway PostgreSQL servers for tests and benchmarks (private package).
 *
 * @example
 * ```ts
 * import { startPostgres } from "@tessera/test-postgres";
 * const server = await startPostgres(); // server.url: postgres://postgres@127.0.0.1:<random port>/postgres
 * await server.halt();  // an outage: connections are cut, data kept
 * await server.start(); // back on the same port
 * await server.stop();  // gone, directory removed
 * ```
 * @module
 */
export { findPostgresBinDir } from "./binaries.js";
export { type PostgresServer, type PostgresSetting, type StartPostgresOptions, startPostgres } from "./postgres-server.js";
