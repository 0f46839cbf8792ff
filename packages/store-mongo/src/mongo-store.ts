/**
 * `mongoStore()`: the store port on one MongoDB collection through the official driver.
 *
 * - `create` is an `insertOne`; a duplicate `_id` means "not created", except when the existing
 *   document has already expired (the TTL monitor runs only once a minute), which is taken over.
 * - `replace`, `patch` and `touch` are `replaceOne`/`updateOne` on the live document with
 *   `upsert: false`: they never create or revive a session. The matched count is the answer.
 * - `patch` writes only the changed keys (`$set`/`$unset` of `data.<key>`), so concurrent requests
 *   that change different keys both survive; `touch` writes only the two timestamps.
 * - Reads hide documents whose `expiresAt` has passed, whether or not the TTL monitor ran.
 * - `destroy` is one `findOneAndDelete` that returns the deleted document's `expiresAt`: it
 *   answers `true` only for a live one, since an expired document may still wait for the monitor.
 *
 * The store never closes the client: it did not create it.
 */
import type { OwnedSession, SessionActivity, SessionPatch, SessionRecord, Store, StoreCapabilities } from "@tessera/core";
import type { Collection, Filter } from "mongodb";
import { isDuplicateKeyError, toStoreError } from "./driver-errors.js";
import { type ExistingIndex, planIndexes } from "./indexes.js";
import { type MongoStoreOptions, resolveMongoStoreOptions } from "./options.js";
import { documentToRecord, type MongoSessionDocument, recordToDocument, recordToFields } from "./session-document.js";
import { expiredFilter, isLiveDocument, liveFilter, patchUpdate, touchUpdate } from "./update-documents.js";

/** A MongoDB store: the whole store port (every optional method included) plus index management. */
export interface MongoStore extends Required<Store> {
  /** The collection the store uses. */
  readonly collection: Collection<MongoSessionDocument>;
  /**
   * Creates the missing indexes now (the store otherwise does it before its first write). Await it
   * at startup or in a deploy script to surface permission problems early. Resolves at once when
   * `manageIndexes` is false.
   */
  ensureIndexes(): Promise<void>;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  patch: true,
  touch: true,
  ownerIndex: true,
  nativeTtl: true,
  atomicConditionalWrites: true,
});

/** MongoDB's "namespace not found": `listIndexes` on a collection that does not exist yet. */
const NAMESPACE_NOT_FOUND = 26;

/** Creates a store on a MongoDB collection. */
export function mongoStore(options: MongoStoreOptions): MongoStore {
  const { collection, manageIndexes, maxTimeMs, now } = resolveMongoStoreOptions(options);
  const timeLimit = maxTimeMs === undefined ? {} : { maxTimeMS: maxTimeMs };
  const writeOptions = { ...timeLimit, upsert: false };

  /** Index creation: started by the first write, shared by concurrent ones, retried after a failure. */
  let indexesReady = !manageIndexes;
  let indexing: Promise<void> | undefined;

  async function createIndexes(): Promise<void> {
    let existing: ExistingIndex[];
    try {
      existing = (await collection.listIndexes(timeLimit).toArray()) as ExistingIndex[];
    } catch (error) {
      if ((error as { code?: unknown }).code !== NAMESPACE_NOT_FOUND) throw error;
      existing = [];
    }
    const missing = planIndexes(existing);
    if (missing.length > 0) {
      await collection.createIndexes(
        missing.map((spec) => ({ ...spec, key: { ...spec.key } })),
        timeLimit,
      );
    }
    indexesReady = true;
  }

  function ensureIndexes(): Promise<void> {
    if (indexesReady) return Promise.resolve();
    indexing ??= createIndexes().then(undefined, (error: unknown) => {
      indexing = undefined;
      throw toStoreError("createIndexes", error);
    });
    return indexing;
  }

  /** Runs one operation; driver failures become `SessionError`s. */
  async function run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw toStoreError(operation, error);
    }
  }

  /** Runs one write after the indexes exist. */
  async function write<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (!indexesReady) await ensureIndexes();
    return run(operation, body);
  }

  /** The matched count of an acknowledged update, as "did it write". */
  function matched(result: { acknowledged: boolean; matchedCount: number }): boolean {
    if (!result.acknowledged) {
      throw toStoreError(
        "write",
        new Error(
          "the write was not acknowledged (write concern w: 0); the store needs acknowledged writes to know whether a session still exists.",
        ),
      );
    }
    return result.matchedCount === 1;
  }

  return {
    name: "mongodb",
    capabilities: CAPABILITIES,
    collection,
    ensureIndexes,

    get(id: string): Promise<SessionRecord | null> {
      return run("get", async () => {
        const document = await collection.findOne(liveFilter(id, now()), timeLimit);
        return document === null ? null : documentToRecord(document);
      });
    },

    create(id: string, record: SessionRecord): Promise<boolean> {
      return write("create", async () => {
        const document = recordToDocument(id, record);
        try {
          await collection.insertOne(document, timeLimit);
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        // The ID exists. If that document has expired (the TTL monitor has not run yet), it is
        // absent as far as sessions go: take it over, atomically, only if it is still expired.
        const { _id, ...fields } = document;
        return matched(await collection.replaceOne(expiredFilter(id, now()), fields, writeOptions));
      });
    },

    replace(id: string, record: SessionRecord): Promise<boolean> {
      return write("replace", async () =>
        matched(await collection.replaceOne(liveFilter(id, now()), recordToFields(record), writeOptions)),
      );
    },

    patch(id: string, patch: SessionPatch): Promise<boolean> {
      return write("patch", async () => matched(await collection.updateOne(liveFilter(id, now()), patchUpdate(patch), writeOptions)));
    },

    touch(id: string, activity: SessionActivity): Promise<boolean> {
      return write("touch", async () => matched(await collection.updateOne(liveFilter(id, now()), touchUpdate(activity), writeOptions)));
    },

    destroy(id: string): Promise<boolean> {
      return run("destroy", async () => {
        const deleted = await collection.findOneAndDelete(
          { _id: id },
          { ...timeLimit, projection: { _id: 0, expiresAt: 1 }, includeResultMetadata: false },
        );
        return isLiveDocument(deleted, now());
      });
    },

    listByOwner(owner: string): Promise<OwnedSession[]> {
      return run("listByOwner", async () => {
        const filter: Filter<MongoSessionDocument> = { owner, expiresAt: { $gt: new Date(now()) } };
        const documents = await collection.find(filter, timeLimit).toArray();
        return documents.map((document) => ({ id: document._id, record: documentToRecord(document) }));
      });
    },

    destroyByOwner(owner: string, options?: { except?: string }): Promise<number> {
      return write("destroyByOwner", async () => {
        const filter: Filter<MongoSessionDocument> = { owner, expiresAt: { $gt: new Date(now()) } };
        if (options?.except !== undefined) filter._id = { $ne: options.except };
        const result = await collection.deleteMany(filter, timeLimit);
        return result.deletedCount;
      });
    },

    async *ids(): AsyncGenerator<string> {
      const cursor = collection.find({ expiresAt: { $gt: new Date(now()) } }, { ...timeLimit, projection: { _id: 1 } });
      try {
        for await (const document of cursor) yield document._id;
      } catch (error) {
        throw toStoreError("ids", error);
      } finally {
        await cursor.close();
      }
    },

    async dispose(): Promise<void> {
      // Closing the app right after startup must not cut an index build short (connect-mongo#413).
      // A failure of that build was already reported to the write that started it.
      if (indexing !== undefined) await Promise.allSettled([indexing]);
    },
  };
}
