import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../src/base64url.js";
import { isSessionIdShape } from "../src/internal.js";
import { Keyring, KID_LENGTH, keyIdOf, normalizeSecrets, VERIFIED_CACHE_SIZE } from "../src/keyring.js";
import { generateSessionId } from "../src/session-id.js";
import { SECRET_A, SECRET_B, SECRET_C } from "./helpers.js";

const idArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(encodeBase64url);
const MAC_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("the memory of verified tokens", () => {
  it("a remembered token still has its MAC checked: a changed MAC is rejected", () => {
    const ring = new Keyring([SECRET_A]);
    fc.assert(
      fc.property(idArb, fc.nat(42), fc.constantFrom(...MAC_ALPHABET), (id, position, replacement) => {
        const token = ring.sign(id);
        expect(ring.verify(token, isSessionIdShape)).not.toBeNull(); // now remembered
        const macStart = token.lastIndexOf(".") + 1;
        fc.pre(token[macStart + position] !== replacement);
        const tampered = token.slice(0, macStart + position) + replacement + token.slice(macStart + position + 1);
        expect(ring.verify(tampered, isSessionIdShape)).toBeNull();
        expect(ring.verify(token, isSessionIdShape)).toMatchObject({ id });
      }),
      { numRuns: 500 },
    );
  });

  it("keeps verifying correctly past its capacity (oldest forgotten, then re-verified by HMAC)", () => {
    const ring = new Keyring([SECRET_B, SECRET_A]);
    const older = new Keyring([SECRET_A]);
    const tokens = Array.from({ length: VERIFIED_CACHE_SIZE + 2_500 }, (_, i) =>
      i % 2 === 0 ? ring.sign(generateSessionId()) : older.sign(generateSessionId()),
    );
    const wrong: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      tokens.forEach((token, i) => {
        const verified = ring.verify(token, isSessionIdShape);
        if (verified === null || verified.id !== token.split(".")[1] || verified.signedByOlderKey !== (i % 2 === 1)) wrong.push(i);
      });
    }
    expect(wrong).toEqual([]);
  });

  it("a token that failed is not remembered as valid", () => {
    const ring = new Keyring([SECRET_A]);
    const token = ring.sign(generateSessionId());
    const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(ring.verify(wrong, isSessionIdShape)).toBeNull();
    expect(ring.verify(wrong, isSessionIdShape)).toBeNull();
    expect(ring.verify(token, isSessionIdShape)).not.toBeNull();
  });
});

describe("secret roles", () => {
  const id = generateSessionId();

  it("signs with `current` only; `previous` cookies are marked for re-signing, `next` ones are not", () => {
    const ring = new Keyring({ current: SECRET_A, previous: [SECRET_B], next: [SECRET_C] });
    expect(ring.sign(id).slice(0, KID_LENGTH)).toBe(keyIdOf(SECRET_A));
    expect(ring.currentKid).toBe(keyIdOf(SECRET_A));
    expect(ring.verify(ring.sign(id), isSessionIdShape)).toEqual({ id, kid: keyIdOf(SECRET_A), signedByOlderKey: false });
    const previous = new Keyring([SECRET_B]).sign(id);
    const next = new Keyring([SECRET_C]).sign(id);
    // Twice each: the second answer comes from the memory of verified tokens.
    for (let pass = 0; pass < 2; pass++) {
      expect(ring.verify(previous, isSessionIdShape)).toEqual({ id, kid: keyIdOf(SECRET_B), signedByOlderKey: true });
      expect(ring.verify(next, isSessionIdShape)).toEqual({ id, kid: keyIdOf(SECRET_C), signedByOlderKey: false });
    }
  });

  it("a list is [current, ...previous]", () => {
    const ring = new Keyring([SECRET_A, SECRET_B]);
    expect(ring.verify(new Keyring([SECRET_B]).sign(id), isSessionIdShape)).toMatchObject({ signedByOlderKey: true });
    expect(normalizeSecrets([SECRET_A, SECRET_B])).toEqual({ current: SECRET_A, previous: [SECRET_B], next: [] });
    expect(normalizeSecrets(SECRET_A)).toEqual({ current: SECRET_A, previous: [], next: [] });
    expect(normalizeSecrets({ current: SECRET_A, next: SECRET_B })).toEqual({ current: SECRET_A, previous: [], next: [SECRET_B] });
  });

  it("mid-rotation, a promoted process and one with the secret as `next` never sign a cookie back and forth", () => {
    const notYetPromoted = new Keyring({ current: SECRET_A, next: SECRET_B });
    const promoted = new Keyring({ current: SECRET_B, previous: SECRET_A });
    const oldCookie = notYetPromoted.sign(id);
    expect(promoted.verify(oldCookie, isSessionIdShape)).toMatchObject({ signedByOlderKey: true });
    const reSigned = promoted.sign(id);
    expect(notYetPromoted.verify(reSigned, isSessionIdShape)).toMatchObject({ id, signedByOlderKey: false });
    expect(promoted.verify(reSigned, isSessionIdShape)).toMatchObject({ id, signedByOlderKey: false });
  });
});
