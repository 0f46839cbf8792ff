/**
 * The published conformance suite against a real MongoDB server, with both supported driver
 * majors. No MongoDB server can run on this machine (no Debian package, no npm binary, and
 * mongodb-memory-server's download is blocked), so the cases run only when MONGODB_URL points at
 * one, e.g. `MONGODB_URL=mongodb://127.0.0.1:27017/tessera_test pnpm exec vitest run --project store-mongo`.
 * Without it, every case is reported as skipped with that reason.
 */
import { testStore } from "@tessera/store-test-suite";
import * as driver7 from "mongodb";
import * as driver6 from "mongodb-v6";
import { describe, expect, it } from "vitest";
import { type MongoStore, mongoStore } from "../src/index.js";

const url = process.env.MONGODB_URL;
const SKIP_REASON = "skipped: set MONGODB_URL to a MongoDB server to run; none can run on this machine";

for (const [label, mongo] of [
  ["driver 7", driver7],
  ["driver 6", driver6],
] as const) {
  describe.skipIf(!url)(`mongodb × ${label}${url ? "" : ` (${SKIP_REASON})`}`, () => {
    const client = new mongo.MongoClient(url ?? "mongodb://127.0.0.1:27017", {
      serverSelectionTimeoutMS: 5_000,
    }) as unknown as driver7.MongoClient;
    const run = crypto.randomUUID().slice(0, 8);
    const names = [`tessera_conformance_${run}_a`, `tessera_conformance_${run}_b`];

    testStore<MongoStore>(`mongodb × ${label}`, {
      create: async () => {
        const store = mongoStore({ client, collectionName: names[0] });
        await store.ensureIndexes();
        return store;
      },
      createIsolated: () => mongoStore({ client, collectionName: names[1] }),
      clientStillOpen: async () => (await client.db().command({ ping: 1 })).ok === 1,
      teardown: async () => {
        for (const name of names) {
          await client
            .db()
            .collection(name)
            .drop()
            .catch((error: { code?: number }) => {
              if (error.code !== 26) throw error; // 26: the collection was never created
            });
        }
        await client.close();
      },
      additionalTests: ({ store, newId, record }) => {
        it("creates the TTL and owner indexes", async () => {
          const indexes = await store().collection.listIndexes().toArray();
          expect(indexes).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
              expect.objectContaining({ key: { owner: 1 }, sparse: true }),
            ]),
          );
        });
        it("stores _id, BSON Dates and escaped data keys", async () => {
          const id = newId();
          await store().create(id, record({ data: { "a.b": 1, $c: 2 }, owner: "o" }));
          const raw = await store().collection.findOne({ _id: id });
          expect(raw?.expiresAt).toBeInstanceOf(Date);
          expect(raw?.data).toEqual({ "a%2Eb": 1, "%24c": 2 });
          expect(raw?.owner).toBe("o");
        });
        it("destroy of an expired document the TTL monitor has not removed yet answers false and deletes it", async () => {
          const id = newId();
          await store().create(id, record({ expiresAt: Date.now() - 1_000 }));
          expect(await store().collection.countDocuments({ _id: id })).toBe(1);
          expect(await store().destroy(id)).toBe(false);
          expect(await store().collection.countDocuments({ _id: id })).toBe(0);
        });
        it("takes over an expired document the TTL monitor has not removed yet", async () => {
          const id = newId();
          await store().create(id, record({ expiresAt: Date.now() - 1_000 }));
          expect(await store().get(id)).toBeNull();
          expect(await store().create(id, record({ data: { fresh: true } }))).toBe(true);
          expect((await store().get(id))?.data).toEqual({ fresh: true });
        });
      },
    });
  });
}
