/**
 * Options of `mongoStore()` and their startup validation. Every mistake throws `INVALID_CONFIG`
 * from the factory, before the first request.
 */
import { configError } from "@tessera/core/internal";
import type { Collection, MongoClient } from "mongodb";
import type { MongoSessionDocument } from "./session-document.js";

/** Options shared by both ways of naming the collection. */
export interface MongoStoreCommonOptions {
  /**
   * Create the collection's indexes (a TTL index on `expiresAt`, an index on `owner`) on first
   * write, once. Default `true`. Set `false` when the app's database user may not create indexes
   * or when migrations own the schema; then create the indexes listed in the README yourself
   * (`SESSION_INDEXES` holds their exact specs).
   * @default true
   */
  manageIndexes?: boolean;
  /**
   * Server-side time limit for each operation, in milliseconds (MongoDB's `maxTimeMS`). Default:
   * none (the server's own default). A server that exceeds it answers with `MaxTimeMSExpired`,
   * reported as `STORE_TIMEOUT`. It does not bound connecting or server selection: set
   * `serverSelectionTimeoutMS`/`socketTimeoutMS` on the client for that. The session manager's
   * `storeTimeoutMs` bounds how long a request waits in every case.
   * @default undefined (the server's own limit)
   */
  maxTimeMs?: number;
  /**
   * The clock, in epoch ms, used to decide which documents are still live. Default `Date.now`.
   * Pass the session manager's clock when faking time in tests.
   * @default Date.now
   */
  now?: () => number;
}

/** Use an existing collection object. */
export interface MongoStoreCollectionOptions extends MongoStoreCommonOptions {
  /**
   * The collection sessions live in, e.g. `client.db("app").collection("sessions")`. Typed or not:
   * the store owns the shape of its documents (see `MongoSessionDocument`).
   */
  collection: Collection<MongoSessionDocument> | Collection;
  client?: never;
  dbName?: never;
  collectionName?: never;
}

/** Name the collection through a client. */
export interface MongoStoreClientOptions extends MongoStoreCommonOptions {
  /**
   * A `MongoClient` the app created (connected or not: the driver connects on first use). The
   * store never closes it.
   */
  client: MongoClient;
  /**
   * Database name.
   * @default the database of the client's connection string
   */
  dbName?: string;
  /**
   * Collection name.
   * @default "sessions"
   */
  collectionName?: string;
  collection?: never;
}

/** Options of `mongoStore()`: a collection, or a client plus names. */
export type MongoStoreOptions = MongoStoreCollectionOptions | MongoStoreClientOptions;

/** The options after validation and defaults. */
export interface ResolvedMongoStoreOptions {
  readonly collection: Collection<MongoSessionDocument>;
  readonly manageIndexes: boolean;
  readonly maxTimeMs: number | undefined;
  readonly now: () => number;
}

/** Default collection name when a client is given. */
export const DEFAULT_COLLECTION_NAME = "sessions";

const COLLECTION_METHODS = [
  "findOne",
  "find",
  "insertOne",
  "replaceOne",
  "updateOne",
  "deleteOne",
  "deleteMany",
  "listIndexes",
  "createIndexes",
];

function fail(message: string): never {
  throw configError(message, "mongodb");
}

function checkName(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "" || value.includes("\u0000") || value.includes("$")) {
    fail(`\`${option}\` must be a non-empty string without "$" or NUL, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Validates `options` and applies the defaults. */
export function resolveMongoStoreOptions(options: MongoStoreOptions): ResolvedMongoStoreOptions {
  if (typeof options !== "object" || options === null) {
    fail("mongoStore() needs options: { collection } or { client, dbName?, collectionName? }.");
  }
  const given = options as MongoStoreCommonOptions & {
    collection?: Collection<MongoSessionDocument> | Collection;
    client?: MongoClient;
    dbName?: string;
    collectionName?: string;
  };
  if (given.collection !== undefined && given.client !== undefined) {
    fail("pass either `collection` or `client` (with `dbName`/`collectionName`), not both.");
  }
  let collection: Collection<MongoSessionDocument>;
  if (given.collection !== undefined) {
    if (given.dbName !== undefined || given.collectionName !== undefined) {
      fail("`dbName` and `collectionName` go with `client`; with `collection` they would be ignored.");
    }
    const candidate = given.collection as unknown as Record<string, unknown> | null;
    const missing = COLLECTION_METHODS.filter((method) => typeof candidate?.[method] !== "function");
    if (missing.length > 0) {
      fail(`\`collection\` must be a MongoDB driver Collection (missing ${missing.join(", ")}); pass client.db(name).collection(name).`);
    }
    collection = given.collection as Collection<MongoSessionDocument>;
  } else if (given.client !== undefined) {
    const client = given.client as unknown as { db?: unknown } | null;
    if (typeof client?.db !== "function") fail("`client` must be a MongoClient from the `mongodb` package.");
    const dbName = checkName(given.dbName, "dbName");
    const collectionName = checkName(given.collectionName, "collectionName") ?? DEFAULT_COLLECTION_NAME;
    if (collectionName.startsWith("system.")) fail(`\`collectionName\` must not be a system collection, got "${collectionName}".`);
    collection = given.client.db(dbName).collection<MongoSessionDocument>(collectionName);
  } else {
    fail("mongoStore() needs `collection` (a driver Collection) or `client` (a MongoClient).");
  }

  const manageIndexes = given.manageIndexes ?? true;
  if (typeof manageIndexes !== "boolean") fail(`\`manageIndexes\` must be true or false, got ${String(manageIndexes)}.`);
  const maxTimeMs = given.maxTimeMs;
  if (maxTimeMs !== undefined && (!Number.isInteger(maxTimeMs) || maxTimeMs <= 0)) {
    fail(`\`maxTimeMs\` must be a positive integer number of milliseconds, got ${String(maxTimeMs)}.`);
  }
  const now = given.now ?? Date.now;
  if (typeof now !== "function") fail("`now` must be a function returning epoch milliseconds.");
  return { collection, manageIndexes, maxTimeMs, now };
}
