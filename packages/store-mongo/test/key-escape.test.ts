import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeKey, escapeValue, unescapeKey, unescapeValue } from "../src/key-escape.js";

/** Strings made mostly of the characters the scheme treats specially, so collisions would show. */
const trickyKey = fc.oneof(
  fc.string({ unit: fc.constantFrom(".", "$", "%", "\u0000", "_", "2", "4", "5", "E", "F", "a", "proto"), maxLength: 12 }),
  fc.constantFrom("", "%", "$", ".", "__proto__", "%5F_proto__", "%24", "%2E", "constructor", "prototype"),
  fc.string({ unit: "binary" }),
);

/** True when a key can be a MongoDB field name and a single `$set` path segment. */
function isSafeFieldName(key: string): boolean {
  return key !== "" && !key.includes(".") && !key.includes("\u0000") && !key.startsWith("$") && key !== "__proto__";
}

function everyKey(value: unknown, check: (key: string) => boolean): boolean {
  if (Array.isArray(value)) return value.every((item) => everyKey(item, check));
  if (value === null || typeof value !== "object") return true;
  return Object.keys(value).every((key) => check(key) && everyKey((value as Record<string, unknown>)[key], check));
}

describe("escapeKey / unescapeKey", () => {
  it("round-trips every string", () => {
    fc.assert(fc.property(trickyKey, (key) => unescapeKey(escapeKey(key)) === key));
  });

  it("never yields a key containing '.' or NUL, starting with '$', empty, or __proto__", () => {
    fc.assert(fc.property(trickyKey, (key) => isSafeFieldName(escapeKey(key))));
  });

  it("is injective: different keys never share an escaped form", () => {
    fc.assert(fc.property(trickyKey, trickyKey, (a, b) => a === b || escapeKey(a) !== escapeKey(b)));
  });

  it("leaves ordinary keys as they are, so documents stay queryable", () => {
    for (const key of ["userId", "cart", "a-b_c", "price$", "k:v", "p/q", "żółć", "[x]"]) expect(escapeKey(key)).toBe(key);
  });

  it("escapes the characters MongoDB paths cannot hold", () => {
    expect(escapeKey("a.b")).toBe("a%2Eb");
    expect(escapeKey("$x")).toBe("%24x");
    expect(escapeKey("$$")).toBe("%24$");
    expect(escapeKey("50%")).toBe("50%25");
    expect(escapeKey("nul\u0000")).toBe("nul%00");
    expect(escapeKey("")).toBe("%");
    expect(escapeKey("__proto__")).toBe("%5F_proto__");
  });

  it("keeps a stray '%' of a foreign field as it is", () => {
    expect(unescapeKey("100%zz")).toBe("100%zz");
  });
});

describe("escapeValue / unescapeValue", () => {
  it("round-trips any JSON value, including keys like __proto__ at any depth", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(unescapeValue(escapeValue(value))).toStrictEqual(value);
      }),
    );
  });

  it("makes every key at every depth a safe field name", () => {
    const objectWithTrickyKeys = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(trickyKey, tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(fc.property(objectWithTrickyKeys, (value) => everyKey(escapeValue(value), isSafeFieldName)));
  });

  it("decodes __proto__ as an own data property, never as the prototype", () => {
    const stored = escapeValue(JSON.parse('{"__proto__":{"polluted":true},"nested":{"__proto__":1}}')) as Record<string, unknown>;
    expect(Object.keys(stored)).toEqual(["%5F_proto__", "nested"]);
    const decoded = unescapeValue(stored) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value).toEqual({ polluted: true });
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
