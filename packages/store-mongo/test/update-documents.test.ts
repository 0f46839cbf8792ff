import type { SessionPatch } from "@tessera/core";
import fc from "fast-check";
import { BSON } from "mongodb";
import { describe, expect, it } from "vitest";
import { unescapeKey } from "../src/key-escape.js";
import { documentToRecord, recordToDocument } from "../src/session-document.js";
import { dataPath, isLiveDocument, liveFilter, patchUpdate, touchUpdate } from "../src/update-documents.js";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ID = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdE";

describe("filters", () => {
  it("matches only the live document of an ID", () => {
    expect(liveFilter(ID, NOW)).toEqual({ _id: ID, expiresAt: { $gt: new Date(NOW) } });
  });
});

describe("destroy's answer: was the deleted document live?", () => {
  /** A document as findOneAndDelete returns it with the store's projection, through BSON. */
  const deleted = (expiresAt: unknown) => BSON.deserialize(BSON.serialize({ expiresAt })) as { expiresAt?: unknown };
  const throughBsonDocument = (document: object) => BSON.deserialize(BSON.serialize(document)) as { expiresAt?: unknown };

  it("is true only while expiresAt is ahead, the same boundary as liveFilter's $gt", () => {
    expect(isLiveDocument(deleted(new Date(NOW + 1)), NOW)).toBe(true);
    expect(isLiveDocument(deleted(new Date(NOW)), NOW)).toBe(false);
    expect(isLiveDocument(deleted(new Date(NOW - 60_000)), NOW)).toBe(false);
  });

  it("is false when nothing was deleted, and for a document this store did not write", () => {
    expect(isLiveDocument(null, NOW)).toBe(false);
    expect(isLiveDocument({}, NOW)).toBe(false);
    expect(isLiveDocument(deleted(NOW + 60_000), NOW)).toBe(false);
    expect(isLiveDocument(deleted(new Date(NOW + 60_000).toISOString()), NOW)).toBe(false);
  });

  it("agrees with a document the store wrote for a live and an expired record", () => {
    const base = { data: {}, createdAt: NOW - 1_000, lastSeenAt: NOW - 1_000 };
    const live = throughBsonDocument(recordToDocument(ID, { ...base, expiresAt: NOW + 30_000 }));
    const expired = throughBsonDocument(recordToDocument(ID, { ...base, expiresAt: NOW - 1 }));
    expect(isLiveDocument(live, NOW)).toBe(true);
    expect(isLiveDocument(expired, NOW)).toBe(false);
  });
});

describe("touchUpdate", () => {
  it("sets the two timestamps and nothing else", () => {
    expect(touchUpdate({ lastSeenAt: NOW, expiresAt: NOW + 5_000 })).toEqual({
      $set: { lastSeenAt: new Date(NOW), expiresAt: new Date(NOW + 5_000) },
    });
  });
});

describe("patchUpdate", () => {
  it("$sets changed keys and $unsets removed ones, on escaped data paths", () => {
    const patch: SessionPatch = { set: { cart: [1, 2], "a.b": { "$c.d": 1 } }, unset: ["$x", "gone"], lastSeenAt: NOW, expiresAt: NOW + 9 };
    expect(patchUpdate(patch)).toEqual({
      $set: {
        lastSeenAt: new Date(NOW),
        expiresAt: new Date(NOW + 9),
        "data.cart": [1, 2],
        "data.a%2Eb": { "%24c%2Ed": 1 },
      },
      $unset: { "data.%24x": "", "data.gone": "" },
    });
  });

  it("has no $unset when nothing is removed (MongoDB rejects an empty operator)", () => {
    expect(patchUpdate({ set: { a: 1 }, unset: [], lastSeenAt: NOW, expiresAt: NOW })).not.toHaveProperty("$unset");
  });

  it("sets a key that is also listed for removal rather than naming one path twice", () => {
    const update = patchUpdate({ set: { a: 1 }, unset: ["a", "b"], lastSeenAt: NOW, expiresAt: NOW });
    expect(update.$set["data.a"]).toBe(1);
    expect(update.$unset).toEqual({ "data.b": "" });
  });

  it("writes __proto__ as a data path, and a Date value as its JSON string", () => {
    const set: Record<string, unknown> = {};
    Object.defineProperty(set, "__proto__", { value: new Date(NOW), enumerable: true });
    const update = patchUpdate({ set, unset: [], lastSeenAt: NOW, expiresAt: NOW });
    expect(update.$set["data.%5F_proto__"]).toBe(new Date(NOW).toISOString());
  });

  it("for any keys: every data path is 'data.' plus one safe segment that decodes to the key", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom("", "$", ".", "__proto__", "%", "a.b.c", "$where"));
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), fc.array(key, { maxLength: 6 }), (set, unset) => {
        const update = patchUpdate({ set, unset, lastSeenAt: NOW, expiresAt: NOW });
        const paths = [...Object.keys(update.$set), ...Object.keys(update.$unset ?? {})].filter((p) => p.startsWith("data."));
        const decoded = new Set<string>();
        for (const path of paths) {
          const segment = path.slice("data.".length);
          expect(segment).not.toBe("");
          expect(segment).not.toContain(".");
          expect(segment.startsWith("$")).toBe(false);
          decoded.add(unescapeKey(segment));
        }
        expect(decoded).toEqual(new Set([...Object.keys(set), ...unset]));
        // The update document itself must be encodable by the driver.
        expect(() => BSON.serialize(update)).not.toThrow();
      }),
    );
  });

  it("applied to a stored document, gives the same data as the core's own patch semantics", () => {
    // MongoDB applies `$set`/`$unset` of `data.<segment>` to field <segment> of `data`; the paths here
    // are exactly two levels deep (segments never contain '.'), so that is all this replays.
    const before = recordToDocument(ID, {
      data: { keep: { deep: [1] }, change: 1, drop: "x", "a.b": 0 },
      createdAt: NOW,
      lastSeenAt: NOW,
      expiresAt: NOW + 1,
    });
    const update = patchUpdate({
      set: { change: 2, added: [true], "a.b": 3 },
      unset: ["drop", "never"],
      lastSeenAt: NOW + 5,
      expiresAt: NOW + 6,
    });
    const after = structuredClone(before) as unknown as Record<string, unknown> & { data: Record<string, unknown> };
    for (const [path, value] of Object.entries(update.$set)) {
      if (path.startsWith("data.")) after.data[path.slice(5)] = value;
      else after[path] = value;
    }
    for (const path of Object.keys(update.$unset ?? {})) delete after.data[path.slice(5)];
    expect(documentToRecord(after as never)).toEqual({
      data: { keep: { deep: [1] }, change: 2, added: [true], "a.b": 3 },
      createdAt: NOW,
      lastSeenAt: NOW + 5,
      expiresAt: NOW + 6,
    });
  });

  it("dataPath escapes the key", () => {
    expect(dataPath("")).toBe("data.%");
    expect(dataPath("x")).toBe("data.x");
  });
});
