/**
 * The login token's format and cryptography, checked against Web Crypto (an independent
 * SHA-256/HMAC implementation) rather than against the library the module itself uses.
 */
import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "../src/base64url.js";
import {
  bytesEqual,
  formatLoginToken,
  hashValidator,
  LOGIN_TOKEN_LENGTH,
  nextValidator,
  parseLoginToken,
  randomLoginTokenPart,
  seriesRef,
  validatorMatches,
} from "../src/login-token.js";
import { isSessionIdShape } from "../src/session-id.js";

/** The slice of Web Crypto these tests use (the core's own declarations cover AES-GCM only). */
const subtle = crypto.subtle as unknown as {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: "raw",
    key: Uint8Array,
    algorithm: { name: "HMAC"; hash: "SHA-256" },
    extractable: false,
    usages: ["sign"],
  ): Promise<unknown>;
  sign(algorithm: "HMAC", key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
};

function bytesOf(part: string): Uint8Array {
  const bytes = decodeBase64url(part);
  if (bytes === null) throw new Error(`not base64url: ${part}`);
  return bytes;
}

describe("login token format", () => {
  it("is selector.validator, each 32 random bytes in the shape of a session ID", () => {
    const selector = randomLoginTokenPart();
    const validator = randomLoginTokenPart();
    expect(isSessionIdShape(selector)).toBe(true);
    expect(bytesOf(selector)).toHaveLength(32);
    const token = formatLoginToken({ selector, validator });
    expect(token).toBe(`${selector}.${validator}`);
    expect(token).toHaveLength(LOGIN_TOKEN_LENGTH);
    expect(parseLoginToken(token)).toEqual({ selector, validator });
  });

  it("gives a fresh value every time", () => {
    const parts = new Set(Array.from({ length: 200 }, () => randomLoginTokenPart()));
    expect(parts.size).toBe(200);
  });

  it("rejects anything that is not exactly that shape", () => {
    const selector = randomLoginTokenPart();
    const validator = randomLoginTokenPart();
    const bad = [
      "",
      selector,
      `${selector}.`,
      `${selector}${validator}`,
      `${selector}.${validator}x`,
      `${selector}:${validator}`,
      `${selector.slice(0, 42)}!.${validator}`,
      // 43 characters whose last one leaves non-zero padding bits (no 32-byte value encodes to it).
      `${selector}.${validator.slice(0, 42)}B`,
      `${selector}.${validator.slice(0, 42)}é`,
      `${"a".repeat(43)}.${"b".repeat(42)}`,
    ];
    for (const token of bad) expect(parseLoginToken(token), token).toBeNull();
    expect(parseLoginToken(42 as unknown as string)).toBeNull();
  });
});

describe("login token cryptography", () => {
  it("stores SHA-256 of the validator's 32 bytes, base64url", async () => {
    const validator = randomLoginTokenPart();
    const expected = encodeBase64url(new Uint8Array(await subtle.digest("SHA-256", bytesOf(validator))));
    expect(hashValidator(validator)).toBe(expected);
    expect(hashValidator(validator)).not.toContain(validator);
  });

  it("derives the next validator as HMAC-SHA256(seriesKey, validator)", async () => {
    const seriesKey = randomLoginTokenPart();
    const validator = randomLoginTokenPart();
    const key = await subtle.importKey("raw", bytesOf(seriesKey), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const expected = encodeBase64url(new Uint8Array(await subtle.sign("HMAC", key, bytesOf(validator))));
    const next = nextValidator(seriesKey, validator);
    expect(next).toBe(expected);
    // The successor is itself a valid validator, deterministic, and depends on the series key.
    expect(isSessionIdShape(next)).toBe(true);
    expect(nextValidator(seriesKey, validator)).toBe(next);
    expect(nextValidator(randomLoginTokenPart(), validator)).not.toBe(next);
    expect(nextValidator(seriesKey, next)).not.toBe(next);
  });

  it("matches a validator against its stored hash only", () => {
    const validator = randomLoginTokenPart();
    const hash = hashValidator(validator);
    expect(validatorMatches(validator, hash)).toBe(true);
    expect(validatorMatches(randomLoginTokenPart(), hash)).toBe(false);
    expect(validatorMatches(validator, undefined)).toBe(false);
    expect(validatorMatches(validator, 7)).toBe(false);
    expect(validatorMatches(validator, "not base64url!")).toBe(false);
    expect(validatorMatches(validator, hash.slice(0, 40))).toBe(false);
    // The hash of the hash is not the hash: a leaked hash is no validator.
    expect(validatorMatches(hash, hash)).toBe(false);
  });

  it("compares bytes by length and content", () => {
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(bytesEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });

  it("fingerprints a series in 12 characters that do not reveal the selector", () => {
    const selector = randomLoginTokenPart();
    const ref = seriesRef(selector);
    expect(ref).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(selector).not.toContain(ref);
    expect(seriesRef(selector)).toBe(ref);
    expect(seriesRef(randomLoginTokenPart())).not.toBe(ref);
  });
});
