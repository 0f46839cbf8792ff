/**
 * @tessera/store-mongo — Tessera sessions in MongoDB, on the official `mongodb` driver (6.x, 7.x).
 *
 * @example
 * ```ts
 * import { MongoClient } from "mongodb";
 * import { createSessionManager } from "@tessera/core";
 * import { mongoStore } from "@tessera/store-mongo";
 *
 * const client = new MongoClient(process.env.MONGODB_URL);
 * const sessions = createSessionManager({
 *   secrets: [process.env.SESSION_SECRET],
 *   store: mongoStore({ client, dbName: "app", collectionName: "sessions" }),
 * });
 * ```
 * @module
 */
export { SESSION_INDEXES, type SessionIndexSpec } from "./indexes.js";
export { type MongoStore, mongoStore } from "./mongo-store.js";
export {
  DEFAULT_COLLECTION_NAME,
  type MongoStoreClientOptions,
  type MongoStoreCollectionOptions,
  type MongoStoreCommonOptions,
  type MongoStoreOptions,
} from "./options.js";
export type { MongoSessionDocument } from "./session-document.js";
