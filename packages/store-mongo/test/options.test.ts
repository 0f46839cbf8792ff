import { MongoClient } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_COLLECTION_NAME, type MongoStoreOptions, mongoStore } from "../src/index.js";

// A client that is never connected: the driver connects on first use, and these cases never use it.
const client = new MongoClient("mongodb://127.0.0.1:1/app");
afterAll(() => client.close());

function configErrorOf(options: unknown): Error & { code?: string } {
  try {
    mongoStore(options as MongoStoreOptions);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("mongoStore() accepted the options");
}

describe("mongoStore options", () => {
  it("takes a client, with the connection string's database and 'sessions' by default", () => {
    const store = mongoStore({ client });
    expect(store.collection.dbName).toBe("app");
    expect(store.collection.collectionName).toBe(DEFAULT_COLLECTION_NAME);
    const named = mongoStore({ client, dbName: "other", collectionName: "web_sessions" });
    expect(named.collection.dbName).toBe("other");
    expect(named.collection.collectionName).toBe("web_sessions");
  });

  it("takes a collection as it is", () => {
    const collection = client.db("x").collection("y");
    expect(mongoStore({ collection }).collection).toBe(collection);
  });

  it("declares every capability, all backed by MongoDB itself", () => {
    expect(mongoStore({ client }).capabilities).toEqual({
      patch: true,
      touch: true,
      ownerIndex: true,
      nativeTtl: true,
      atomicConditionalWrites: true,
    });
  });

  it.each([
    [undefined, /needs options/],
    [{}, /needs `collection`.* or `client`/],
    [{ client, collection: client.db("x").collection("y") }, /either `collection` or `client`/],
    [{ collection: client.db("x").collection("y"), collectionName: "z" }, /go with `client`/],
    [{ collection: { findOne() {} } }, /must be a MongoDB driver Collection \(missing find, insertOne/],
    [{ client: { connect() {} } }, /must be a MongoClient/],
    [{ client, collectionName: "" }, /`collectionName` must be a non-empty string/],
    [{ client, collectionName: "a$b" }, /`collectionName` must be a non-empty string without "\$"/],
    [{ client, dbName: 5 }, /`dbName` must be/],
    [{ client, collectionName: "system.users" }, /must not be a system collection/],
    [{ client, manageIndexes: "no" }, /`manageIndexes` must be true or false/],
    [{ client, maxTimeMs: 0 }, /`maxTimeMs` must be a positive integer/],
    [{ client, maxTimeMs: 1.5 }, /`maxTimeMs` must be a positive integer/],
    [{ client, now: 5 }, /`now` must be a function/],
  ])("rejects %o at startup", (options, message) => {
    const error = configErrorOf(options);
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.message).toMatch(/^\[tessera\] \[mongodb\] /);
    expect(error.message).toMatch(message);
  });
});
