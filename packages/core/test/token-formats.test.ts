/**
 * Foreign token formats (`tokenFormats`, `writeTokenFormat`): the users of a replaced library stay
 * logged in, their cookies move to Tessera's format (or stay in theirs during a side-by-side
 * phase), and nothing but a verified, well-shaped ID reaches the store.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { createSessionManager, memoryStore, SessionError, type SessionRecord, sealedCookieStore, type TokenFormat } from "../src/index.js";
import { encodeBase64url } from "../src/internal.js";
import { harness, SECRET_A, SECRET_B, tokenOf } from "./helpers.js";

type Data = { user: string; visits: number };

const utf8 = new TextEncoder();

/** A stand-in for another library's cookie: `legacy:<id>.<base64url HMAC>`, every secret tried. */
function legacyFormat(secrets: readonly string[], name = "legacy"): TokenFormat & { verifyCalls: number; sign(id: string): string } {
  const macOf = (secret: string, id: string) => encodeBase64url(hmac(sha256, utf8.encode(secret), utf8.encode(id)));
  const format = {
    name,
    verifyCalls: 0,
    verify(token: string) {
      format.verifyCalls++;
      if (!token.startsWith("legacy:")) return null;
      const dot = token.lastIndexOf(".");
      const id = token.slice("legacy:".length, dot);
      const mac = token.slice(dot + 1);
      const index = secrets.findIndex((secret) => macOf(secret, id) === mac);
      return index === -1 ? null : { id, stale: index > 0 };
    },
    sign: (id: string) => `legacy:${id}.${macOf(secrets[0] as string, id)}`,
  };
  return format;
}

/** A 32-character base64url ID, like express-session's uid-safe ones. */
const LEGACY_ID = "dGhpcyBpcyBhIGxlZ2FjeSBzZXNzaW9u";
const LEGACY_SECRET = "short secret";

function legacyRecord(now: number): SessionRecord {
  return { data: { user: "ada", visits: 3 }, createdAt: now - 60_000, lastSeenAt: now - 1_000, expiresAt: now + 3_600_000 };
}

/** A harness whose store already holds the legacy session, and the legacy cookie for it. */
async function withLegacySession(options: { write?: boolean } = {}) {
  const format = legacyFormat([LEGACY_SECRET]);
  const h = harness<Data>({ tokenFormats: [format], ...(options.write ? { writeTokenFormat: format } : {}) });
  await h.memory.create(LEGACY_ID, legacyRecord(h.clock.now()));
  h.cookie = `tessera.sid=${format.sign(LEGACY_ID)}`;
  return { h, format };
}

describe("reading a foreign token", () => {
  it("loads the session stored under the ID it carries", async () => {
    const { h } = await withLegacySession();
    const { session } = await h.request();
    expect(session.id).toBe(LEGACY_ID);
    expect(session.isNew).toBe(false);
    expect(session.get("user")).toBe("ada");
    expect(h.store.calls.filter((c) => c.method === "get").map((c) => c.args[0])).toEqual([LEGACY_ID]);
  });

  it("re-issues it in Tessera's format on the first response, keeping the ID, with no store write", async () => {
    const { h } = await withLegacySession();
    const first = await h.request();
    expect(first.setCookies).toHaveLength(1);
    const token = tokenOf(h.cookie as string);
    expect(token).toMatch(/^[A-Za-z0-9_-]{8}\.dGhpcyBpcyBhIGxlZ2FjeSBzZXNzaW9u\.[A-Za-z0-9_-]{43}$/);
    expect(h.store.writes()).toEqual([]);
    expect(h.eventsOf("re-signed")).toMatchObject([{ fromKid: "legacy", toKid: token.slice(0, 8) }]);
    // The Tessera cookie of a 32-character ID is read back, and needs nothing more.
    const second = await h.request((s) => {
      s.set("visits", (s.get("visits") ?? 0) + 1);
    });
    expect(second.session.id).toBe(LEGACY_ID);
    expect(second.session.get("visits")).toBe(4);
    const third = await h.request();
    expect(third.setCookies).toEqual([]);
    expect(h.eventsOf("re-signed")).toHaveLength(1);
  });

  it("is re-issued on a response that writes too (one Set-Cookie line)", async () => {
    const { h } = await withLegacySession();
    const { setCookies } = await h.request((s) => {
      s.set("visits", 10);
    });
    expect(setCookies).toHaveLength(1);
    expect(tokenOf(h.cookie as string)).not.toContain("legacy:");
    expect((await h.memory.get(LEGACY_ID))?.data).toEqual({ user: "ada", visits: 10 });
  });

  it("a tampered token, or one signed with an unknown secret, gives a fresh session and is cleared", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const h = harness<Data>({ tokenFormats: [format] });
    await h.memory.create(LEGACY_ID, legacyRecord(h.clock.now()));
    const forged = legacyFormat(["another secret"]).sign(LEGACY_ID);
    const tampered = `${format.sign(LEGACY_ID).slice(0, -2)}AA`;
    for (const token of [forged, tampered]) {
      const { session, setCookies } = await h.request(undefined, { cookie: `tessera.sid=${token}` });
      expect(session.isNew).toBe(true);
      expect(setCookies).toHaveLength(1);
      expect(setCookies[0]).toMatch(/^tessera\.sid=;/);
    }
    expect(h.store.calls.filter((c) => c.method === "get")).toEqual([]);
    expect(h.eventsOf("invalid-token").map((e) => e.reason)).toEqual(["bad-signature", "bad-signature"]);
  });

  it("an ID of another shape never reaches the store, even correctly signed", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const h = harness<Data>({ tokenFormats: [format] });
    const badIds = ["short-id-21-character", "x".repeat(129), "has+plus/slash=and0000000000000", "dots.are.not.allowed.in.ids.0000", ""];
    for (const id of badIds) {
      const { session } = await h.request(undefined, { cookie: `tessera.sid=${format.sign(id)}` });
      expect(session.isNew).toBe(true);
    }
    expect(h.store.calls).toEqual([]);
    expect(h.eventsOf("invalid-token")).toHaveLength(badIds.length);
  });

  it("does not consult foreign formats for a valid Tessera token", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const h = harness<Data>({ tokenFormats: [format] });
    await h.request((s) => {
      s.set("user", "grace");
    });
    await h.request();
    expect(format.verifyCalls).toBe(0);
  });

  it("without foreign formats, a Tessera token must carry an ID of Tessera's own shape", async () => {
    const withFormats = harness<Data>({ tokenFormats: [legacyFormat([LEGACY_SECRET])] });
    await withFormats.memory.create(LEGACY_ID, legacyRecord(withFormats.clock.now()));
    // A 32-character ID in a Tessera token is read where foreign formats are configured...
    const migrated = await withFormats.request(undefined, { cookie: `tessera.sid=${legacyFormat([LEGACY_SECRET]).sign(LEGACY_ID)}` });
    const migratedCookie = withFormats.cookie as string;
    expect(migrated.session.id).toBe(LEGACY_ID);
    // ...and refused (before any store call) by a manager that accepts no foreign format.
    const plain = harness<Data>({ store: withFormats.memory });
    const { session } = await plain.request(undefined, { cookie: migratedCookie });
    expect(session.isNew).toBe(true);
    expect(plain.store.calls).toEqual([]);
  });
});

describe("writing a foreign token (writeTokenFormat)", () => {
  it("a token in the write format is not re-issued for its format", async () => {
    const { h } = await withLegacySession({ write: true });
    const { session, setCookies } = await h.request();
    expect(session.get("user")).toBe("ada");
    expect(setCookies).toEqual([]);
    expect(h.eventsOf("re-signed")).toEqual([]);
  });

  it("new sessions, regenerate() and tokenFor() use the write format", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const h = harness<Data>({ tokenFormats: [format], writeTokenFormat: format });
    const created = await h.request((s) => {
      s.set("user", "lin");
    });
    expect(tokenOf(h.cookie as string)).toBe(format.sign(created.session.id));
    const regenerated = await h.request((s) => {
      s.regenerate();
      s.set("user", "lin");
    });
    expect(regenerated.session.id).not.toBe(created.session.id);
    expect(tokenOf(h.cookie as string)).toBe(format.sign(regenerated.session.id));
    expect(h.manager.tokenFor(regenerated.session)).toBe(format.sign(regenerated.session.id));
    expect((await h.request()).session.get("user")).toBe("lin");
  });

  it("a write format not listed in tokenFormats is read too", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const h = harness<Data>({ writeTokenFormat: format });
    await h.request((s) => {
      s.set("user", "kim");
    });
    expect(tokenOf(h.cookie as string)).toMatch(/^legacy:/);
    expect((await h.request()).session.get("user")).toBe("kim");
  });

  it("a token its format calls stale (an older secret) is re-issued, signed with the current one", async () => {
    const rotated = legacyFormat(["new secret", LEGACY_SECRET]);
    const h = harness<Data>({ writeTokenFormat: rotated });
    await h.memory.create(LEGACY_ID, legacyRecord(h.clock.now()));
    h.cookie = `tessera.sid=${legacyFormat([LEGACY_SECRET]).sign(LEGACY_ID)}`;
    const { setCookies } = await h.request();
    expect(setCookies).toHaveLength(1);
    expect(tokenOf(h.cookie as string)).toBe(rotated.sign(LEGACY_ID));
    expect(h.eventsOf("re-signed")).toMatchObject([{ fromKid: "legacy", toKid: "legacy" }]);
    expect((await h.request()).setCookies).toEqual([]);
  });

  it("a Tessera token is accepted as it is, never converted back to the foreign format", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const tesseraWriter = harness<Data>({ tokenFormats: [format] });
    await tesseraWriter.request((s) => {
      s.set("user", "eve");
    });
    const legacyWriter = harness<Data>({ writeTokenFormat: format, store: tesseraWriter.memory, now: tesseraWriter.clock.now });
    legacyWriter.cookie = tesseraWriter.cookie;
    const { session, setCookies } = await legacyWriter.request((s) => {
      s.set("visits", 1);
    });
    expect(session.get("user")).toBe("eve");
    expect(setCookies).toEqual([]);
  });

  it("a Tessera token signed with a previous secret is re-issued in the write format", async () => {
    const format = legacyFormat([LEGACY_SECRET]);
    const old = harness<Data>({ secrets: [SECRET_A] });
    await old.request((s) => {
      s.set("user", "bo");
    });
    const h = harness<Data>({ secrets: [SECRET_B, SECRET_A], writeTokenFormat: format, store: old.memory, now: old.clock.now });
    h.cookie = old.cookie;
    const { session, setCookies } = await h.request();
    expect(setCookies).toHaveLength(1);
    expect(tokenOf(h.cookie as string)).toBe(format.sign(session.id));
  });
});

describe("token format options", () => {
  const base = { secrets: [SECRET_A] };
  const format = legacyFormat([LEGACY_SECRET]);

  it.each([
    ["tokenFormats is not an array", { tokenFormats: format }, /`tokenFormats` must be an array/],
    ["a format without verify", { tokenFormats: [{ name: "x" }] }, /`tokenFormats\[0\]` must be a token format/],
    ["a format without a name", { tokenFormats: [{ verify: () => null }] }, /`tokenFormats\[0\]` needs a non-empty `name`/],
    ["a format named tessera", { tokenFormats: [{ ...format, name: "tessera" }] }, /Tessera's own format/],
    [
      "a write format without sign",
      { writeTokenFormat: { name: "ro", verify: () => null } },
      /cannot write tokens: it has no `sign\(id\)`/,
    ],
  ])("%s is INVALID_CONFIG", (_label, options, message) => {
    expect(() => createSessionManager({ ...base, ...(options as object) })).toThrow(message);
    expect(() => createSessionManager({ ...base, ...(options as object) })).toThrow(SessionError);
  });

  it("the sealed-cookie store refuses foreign formats at startup", () => {
    for (const options of [{ tokenFormats: [format] }, { writeTokenFormat: format }]) {
      try {
        createSessionManager({ ...base, store: sealedCookieStore(), ...options });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SessionError);
        expect((error as SessionError).code).toBe("INVALID_CONFIG");
        expect((error as SessionError).message).toMatch(/need a server-side store/);
      }
    }
  });

  it("a server-side store accepts them", () => {
    expect(() => createSessionManager({ ...base, store: memoryStore(), tokenFormats: [format], writeTokenFormat: format })).not.toThrow();
  });
});
