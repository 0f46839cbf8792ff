/** Runs the published conformance suite on one client kind, with zero skipped cases. */
import { testStore } from "@tessera/store-test-suite";
import { expect, it } from "vitest";
import { type ClientKind, type PostgresStore, postgresStore } from "../src/index.js";
import { type ClientName, connectClient, type TestClient, uniqueTable } from "./clients.js";

const KINDS: Record<ClientName, ClientKind> = {
  "pg Pool": "pg-pool",
  "pg Client": "pg-client",
  "postgres.js": "postgres-js",
  PGlite: "pglite",
};

export function postgresConformance(name: ClientName, url: string): void {
  let connection: TestClient | undefined;
  const current = (): TestClient => {
    if (connection === undefined) throw new Error("the client did not connect");
    return connection;
  };
  testStore<PostgresStore>(`postgres × ${name}`, {
    async create() {
      connection = await connectClient(name, url);
      return postgresStore({ client: connection.client as never, tableName: uniqueTable(`conf_a_${name}`), createTableIfMissing: true });
    },
    createIsolated: () =>
      postgresStore({ client: current().client as never, tableName: uniqueTable(`conf_b_${name}`), createTableIfMissing: true }),
    clientStillOpen: () => current().ping(),
    additionalTests({ store }) {
      it(`detects the client as ${KINDS[name]}`, () => {
        expect(store().clientKind).toBe(KINDS[name]);
      });
    },
    async teardown() {
      await connection?.close();
    },
  });
}
