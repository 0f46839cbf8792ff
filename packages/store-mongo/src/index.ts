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
export { classifyDriverError, isDuplicateKeyError, toStoreError } from "./driver-errors.js";
export { EXPIRY_INDEX, type ExistingIndex, OWNER_INDEX, planIndexes, SESSION_INDEXES, type SessionIndexSpec } from "./indexes.js";
export { escapeKey, escapeValue, unescapeKey, unescapeValue } from "./key-escape.js";
export { type MongoStore, mongoStore } from "./mongo-store.js";
export {
  DEFAULT_COLLECTION_NAME,
  type MongoStoreClientOptions,
  type MongoStoreCollectionOptions,
  type MongoStoreCommonOptions,
  type MongoStoreOptions,
} from "./options.js";
export { documentToRecord, type MongoSessionDocument, recordToDocument } from "./session-document.js";
export { dataPath, isLiveDocument, liveFilter, patchUpdate, type SessionUpdate, touchUpdate } from "./update-documents.js";
