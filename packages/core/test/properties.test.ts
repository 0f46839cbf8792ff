/**
 * Property-based tests (fast-check) of the token codec and of what reaches the store.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "../src/base64url.js";
import { createSessionManager, memoryStore, type Store } from "../src/index.js";
import { isSessionIdShape } from "../src/internal.js";
import { Keyring, VERIFIED_CACHE_SIZE } from "../src/keyring.js";
import { generateSessionId } from "../src/session-id.js";
import { recordingStore, SECRET_A, SECRET_B } from "./helpers.js";

/** Reference base64url from the platform's btoa (available on Node and edge runtimes alike). */
function referenceBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const secretArb = fc.string({ minLength: 32, maxLength: 80 });
const idArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(encodeBase64url);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

describe("base64url", () => {
  it("matches the platform encoder and round-trips every byte string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(referenceBase64url(bytes));
        expect(decodeBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it("encodes inputs longer than one String.fromCharCode batch (sealed cookies, large payloads)", () => {
    for (const length of [6143, 6144, 6145, 20_000]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) & 255;
      const text = encodeBase64url(bytes);
      expect(text).toBe(referenceBase64url(bytes));
      expect(decodeBase64url(text)).toEqual(bytes);
    }
  });

  it("decoding never throws and accepts only canonical encodings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const bytes = decodeBase64url(text);
        if (bytes !== null) expect(encodeBase64url(bytes)).toBe(text);
      }),
    );
  });
});

describe("session IDs", () => {
  it("are 43-character base64url strings of 32 random bytes, all distinct", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = generateSessionId();
      expect(isSessionIdShape(id)).toBe(true);
      expect(decodeBase64url(id)).toHaveLength(32);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });

  it("the shape check accepts exactly the canonical encodings of 32 bytes", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 40, maxLength: 46 }), (text) => {
        const decoded = decodeBase64url(text);
        expect(isSessionIdShape(text)).toBe(decoded !== null && decoded.length === 32);
      }),
    );
  });
});

describe("signed tokens", () => {
  it("every signed token verifies, under any secret, and names the right key", () => {
    fc.assert(
      fc.property(secretArb, secretArb, idArb, (current, older, id) => {
        fc.pre(current !== older);
        const ring = new Keyring([current, older]);
        expect(ring.verify(ring.sign(id), isSessionIdShape)).toMatchObject({ id, signedByOlderKey: false });
        const oldRing = new Keyring([older]);
        expect(ring.verify(oldRing.sign(id), isSessionIdShape)).toMatchObject({ id, signedByOlderKey: true });
      }),
      { numRuns: 200 },
    );
  });

  it("any single-character change to a token is rejected, never thrown", () => {
    const ring = new Keyring([SECRET_A]);
    fc.assert(
      fc.property(idArb, fc.nat(), fc.constantFrom(...ALPHABET), (id, position, replacement) => {
        const token = ring.sign(id);
        const index = position % token.length;
        fc.pre(token[index] !== replacement);
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        expect(ring.verify(tampered, isSessionIdShape)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it("a token verified before (and so remembered) still rejects any single-character change", () => {
    const ring = new Keyring([SECRET_A, SECRET_B]);
    fc.assert(
      fc.property(idArb, fc.nat(), fc.constantFrom(...ALPHABET), fc.boolean(), (id, position, replacement, older) => {
        const token = (older ? new Keyring([SECRET_B]) : ring).sign(id);
        expect(ring.verify(token, isSessionIdShape)).toMatchObject({ id, signedByOlderKey: older });
        const index = position % token.length;
        fc.pre(token[index] !== replacement);
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        expect(ring.verify(tampered, isSessionIdShape)).toBeNull();
        expect(ring.verify(token, isSessionIdShape)).toMatchObject({ id, signedByOlderKey: older });
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps verifying correctly once more tokens were verified than it remembers", () => {
    const ring = new Keyring([SECRET_A]);
    const tokens = Array.from({ length: VERIFIED_CACHE_SIZE + 10 }, () => ring.sign(generateSessionId()));
    for (const token of tokens) expect(ring.verify(token, isSessionIdShape)).not.toBeNull();
    // The first ones were forgotten (recomputed), the last ones are remembered: both verify, both reject a bad MAC.
    for (const token of [tokens[0] as string, tokens.at(-1) as string]) {
      expect(ring.verify(token, isSessionIdShape)?.id).toBe(token.split(".")[1]);
      const badMac = `${token.slice(0, -1)}${token.endsWith("A") ? "Q" : "A"}`;
      expect(ring.verify(badMac, isSessionIdShape)).toBeNull();
    }
  });

  it("random strings never verify and never throw", () => {
    const ring = new Keyring([SECRET_A, SECRET_B]);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 90, maxLength: 100 })),
        (text) => {
          expect(ring.verify(text, isSessionIdShape)).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a token signed with a removed secret no longer verifies", () => {
    fc.assert(
      fc.property(secretArb, secretArb, idArb, (a, b, id) => {
        fc.pre(a !== b);
        expect(new Keyring([b]).verify(new Keyring([a]).sign(id), isSessionIdShape)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});

describe("what reaches the store", () => {
  it("no cookie header, however crafted, makes the manager look up anything but an ID it signed", async () => {
    const store = recordingStore(memoryStore()) as Store & { calls: Array<{ method: string; args: unknown[] }> };
    const manager = createSessionManager({ secrets: [SECRET_A], store });
    const signed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const session = await manager.load({ cookieHeader: null });
      session.set("i", i);
      await manager.commit(session, { appendSetCookie: () => {} });
      signed.push(manager.tokenFor(session));
    }
    const ids = new Set(store.calls.filter((c) => c.method === "create").map((c) => c.args[0] as string));
    const tokenArb = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom(...signed),
      fc.constantFrom(...signed).chain((t) => fc.nat(t.length - 1).map((i) => t.slice(0, i) + (t[i] === "A" ? "B" : "A") + t.slice(i + 1))),
      fc.tuple(fc.string(), idArb, fc.string()).map(([a, id, b]) => `${a}.${id}.${b}`),
    );
    await fc.assert(
      fc.asyncProperty(tokenArb, fc.string({ maxLength: 30 }), async (token, junk) => {
        const before = store.calls.length;
        await manager.load({ cookieHeader: `${junk}; tessera.sid=${token}; x=${junk}` });
        for (const call of store.calls.slice(before)) {
          expect(call.method).toBe("get");
          expect(ids.has(call.args[0] as string)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
