import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../src/base64url.js";
import { isSessionIdShape } from "../src/index.js";
import { Keyring, VERIFIED_CACHE_SIZE } from "../src/keyring.js";
import { generateSessionId } from "../src/session-id.js";
import { SECRET_A, SECRET_B } from "./helpers.js";

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
