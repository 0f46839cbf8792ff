import type { SessionRecord } from "@tessera/core";
import { BSON } from "mongodb";
import { describe, expect, it } from "vitest";
import type { MongoSessionDocument } from "../src/index.js";
import { documentToRecord, recordToDocument } from "../src/session-document.js";

const ID = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdE";
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

function specialData(): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of ["__proto__", "constructor", "a.b", "$x", "", "%", "nul\u0000", "k:v", " spaced "]) {
    Object.defineProperty(data, key, { value: { key, inner: JSON.parse('{"__proto__":1,"$y":{"z.w":2}}') }, enumerable: true });
  }
  return data;
}

/** Through the driver's own BSON codec, as a document travels to the server and back. */
function throughBson(document: MongoSessionDocument): MongoSessionDocument {
  return BSON.deserialize(BSON.serialize(document, { checkKeys: true })) as MongoSessionDocument;
}

describe("record <-> document", () => {
  const full: SessionRecord = {
    data: {
      nested: { list: [1, "two", { three: [true, null] }] },
      unicode: "żółć 😀 \u0000 日本語",
      zero: 0,
      no: false,
      nothing: null,
      big: 2 ** 40,
      float: 1.5e-7,
    },
    createdAt: NOW - 60_000,
    lastSeenAt: NOW,
    expiresAt: NOW + 3_600_000,
    owner: "user-1",
    rememberMeSeconds: 0,
  };

  it("lays a record out as _id, escaped data, BSON Dates, owner and remember-me", () => {
    const document = recordToDocument(ID, full);
    expect(document._id).toBe(ID);
    expect(document.expiresAt).toBeInstanceOf(Date);
    expect(document.expiresAt.getTime()).toBe(full.expiresAt);
    expect(document.createdAt.getTime()).toBe(full.createdAt);
    expect(document.lastSeenAt.getTime()).toBe(full.lastSeenAt);
    expect(document.owner).toBe("user-1");
    expect(document.rememberMeSeconds).toBe(0);
    expect(Object.keys(document).sort()).toEqual(["_id", "createdAt", "data", "expiresAt", "lastSeenAt", "owner", "rememberMeSeconds"]);
  });

  it("omits owner and remember-me when the record has none", () => {
    const document = recordToDocument(ID, { data: {}, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 1 });
    expect(document).not.toHaveProperty("owner");
    expect(document).not.toHaveProperty("rememberMeSeconds");
    expect(documentToRecord(document)).toEqual({ data: {}, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 1 });
  });

  it("round-trips through the driver's BSON codec, with checkKeys on", () => {
    expect(documentToRecord(throughBson(recordToDocument(ID, full)))).toEqual(full);
  });

  it("round-trips keys with '.', '$', '%', NUL, '' and __proto__ at any depth through BSON", () => {
    const data = specialData();
    // Without escaping, the BSON encoder refuses these keys (checkKeys) or cannot encode NUL at all.
    expect(() => BSON.serialize({ data }, { checkKeys: true })).toThrow();
    const read = documentToRecord(throughBson(recordToDocument(ID, { data, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 1 })));
    expect(Object.keys(read.data).sort()).toEqual(Object.keys(data).sort());
    for (const key of Object.keys(data)) {
      const value = Object.getOwnPropertyDescriptor(read.data, key)?.value as Record<string, unknown>;
      expect(value.key).toBe(key);
      expect(Object.getOwnPropertyDescriptor(value.inner, "__proto__")?.value).toBe(1);
      expect(value.inner).toMatchObject({ $y: { "z.w": 2 } });
    }
  });

  it("stores values as JSON would (Dates become ISO strings, undefined members vanish), like every other store", () => {
    const when = new Date(NOW);
    const document = recordToDocument(ID, {
      data: { when, obj: { gone: undefined, kept: 1 } },
      createdAt: NOW,
      lastSeenAt: NOW,
      expiresAt: NOW + 1,
    });
    expect(document.data).toEqual({ when: when.toISOString(), obj: { kept: 1 } });
    expect(documentToRecord(throughBson(document)).data).toEqual({ when: when.toISOString(), obj: { kept: 1 } });
  });

  it("returns fresh objects on every read", () => {
    const document = recordToDocument(ID, full);
    const first = documentToRecord(document);
    (first.data.nested as { list: unknown[] }).list.push("mutated");
    expect(documentToRecord(document)).toEqual(full);
  });

  it("rejects a document this store did not write, naming the field (and not the session ID)", () => {
    const good = recordToDocument(ID, full);
    const cases: Array<[Partial<MongoSessionDocument>, string]> = [
      [{ ...good, data: "x" as unknown as Record<string, unknown> }, "data"],
      [{ ...good, expiresAt: "soon" as unknown as Date }, "expiresAt"],
      [{ ...good, createdAt: new Date(Number.NaN) }, "createdAt"],
      [{ ...good, owner: 42 as unknown as string }, "owner"],
    ];
    for (const [document, field] of cases) {
      let caught: unknown;
      try {
        documentToRecord(document);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      expect((caught as Error).message).toContain(`\`${field}\``);
      expect((caught as Error).message).not.toContain(ID);
    }
  });
});
