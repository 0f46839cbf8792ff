import { describe, expect, it, vi } from "vitest";
import { sealedCookieStore } from "../src/index.js";
import { Sealer } from "../src/sealed-cookie-store.js";
import { harness, SECRET_A, SECRET_B, tokenOf } from "./helpers.js";

type Data = { user: string; counter: number; blob: string };

const sealed = (options: Parameters<typeof harness<Data>>[0] = {}) => harness<Data>({ store: sealedCookieStore(), ...options });

describe("sealed-cookie store (stateless sessions)", () => {
  it("carries the session in an encrypted cookie, not on the server", async () => {
    const h = sealed();
    const { setCookies } = await h.request((s) => {
      s.set("user", "ann@example.test").set("counter", 1);
    });
    expect(setCookies).toHaveLength(1);
    const value = tokenOf((setCookies[0] as string).split(";")[0] as string);
    expect(value).toMatch(/^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    // "@" is outside the token alphabet, so only a leaked plaintext could contain it.
    expect(value).not.toContain("ann@example"); // encrypted, not just signed
    await h.request((s) => {
      expect(s.get("user")).toBe("ann@example.test");
      expect(s.get("counter")).toBe(1);
      expect(s.isNew).toBe(false);
    });
  });

  it("an unchanged request sends nothing; every change re-seals", async () => {
    const h = sealed();
    await h.request((s) => {
      s.set("counter", 1);
    });
    expect((await h.request()).setCookies).toEqual([]);
    const changed = await h.request((s) => {
      s.set("counter", 2);
    });
    expect(changed.setCookies).toHaveLength(1);
    await h.request((s) => {
      expect(s.get("counter")).toBe(2);
    });
  });

  it("a tampered or foreign seal gives a fresh session and a clearing line", async () => {
    const h = sealed();
    await h.request((s) => {
      s.set("user", "ann");
    });
    const cookie = h.cookie as string;
    const last = cookie.at(-5) === "A" ? "B" : "A";
    const tampered = `${cookie.slice(0, -5)}${last}${cookie.slice(-4)}`;
    const { session, setCookies } = await h.request(() => {}, { cookie: tampered });
    expect(session.isNew).toBe(true);
    expect(setCookies).toEqual([expect.stringContaining("Max-Age=0")]);
    // A seal made for another cookie name does not open under this one.
    const other = sealed({ cookie: { name: "other" } });
    const moved = await other.request(() => {}, { cookie: `other=${tokenOf(cookie)}` });
    expect(moved.session.isNew).toBe(true);
  });

  it("a seal made with an older secret is opened and re-sealed with the current one", async () => {
    const old = sealed({ secrets: [SECRET_A] });
    await old.request((s) => {
      s.set("user", "ann");
    });
    const rotated = sealed({ secrets: [SECRET_B, SECRET_A], now: old.clock.now });
    const { setCookies } = await rotated.request(
      (s) => {
        expect(s.get("user")).toBe("ann");
      },
      { cookie: old.cookie },
    );
    expect(setCookies).toHaveLength(1);
    expect(rotated.eventsOf("re-signed")).toHaveLength(1);
    const retired = sealed({ secrets: [SECRET_B], now: old.clock.now });
    await retired.request(
      (s) => {
        expect(s.get("user")).toBe("ann");
      },
      { cookie: (setCookies[0] as string).split(";")[0] as string },
    );
  });

  it("a seal made with a `next` secret is opened and, when nothing changed, left as it is", async () => {
    const promoted = sealed({ secrets: { current: SECRET_B, previous: SECRET_A } });
    await promoted.request((s) => {
      s.set("user", "ann");
    });
    const notYetPromoted = sealed({ secrets: { current: SECRET_A, next: SECRET_B }, now: promoted.clock.now });
    const { setCookies } = await notYetPromoted.request(
      (s) => {
        expect(s.get("user")).toBe("ann");
      },
      { cookie: promoted.cookie },
    );
    expect(setCookies).toEqual([]);
    expect(notYetPromoted.eventsOf("re-signed")).toEqual([]);
  });

  it("idle and absolute expiry are enforced from the timestamps inside the seal", async () => {
    const h = sealed({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 1500, touchAfterSeconds: 0 });
    await h.request((s) => {
      s.set("user", "ann");
    });
    const first = h.cookie;
    h.clock.advanceSeconds(500);
    const touched = await h.request((s) => {
      expect(s.get("user")).toBe("ann");
    });
    expect(touched.setCookies).toHaveLength(1); // the touch re-seals a newer lastSeenAt
    h.clock.advanceSeconds(200);
    // The old cookie's lastSeenAt is 700 s ago: idle-expired, even though the session lives on.
    const current = h.cookie;
    await h.request(
      (s) => {
        expect(s.get("user")).toBeUndefined();
      },
      { cookie: first },
    );
    h.cookie = current;
    for (let i = 0; i < 2; i++) {
      h.clock.advanceSeconds(300); // at 1000 s and 1300 s: within the idle window of the last touch
      await h.request((s) => {
        expect(s.get("user")).toBe("ann");
      });
    }
    h.clock.advanceSeconds(200); // 1500 s after creation
    await h.request((s) => {
      expect(s.get("user")).toBeUndefined();
    });
    expect(h.eventsOf("expired").map((e) => e.reason)).toEqual(["idle", "absolute"]);
  });

  it("read-only requests re-seal only when the touch is due", async () => {
    const h = sealed({ idleTimeoutSeconds: 1000, touchAfterSeconds: 300 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.clock.advanceSeconds(299);
    expect((await h.request()).setCookies).toEqual([]);
    h.clock.advanceSeconds(1);
    expect((await h.request()).setCookies).toHaveLength(1);
  });

  it("remember-me gives the sealed cookie a Max-Age", async () => {
    const h = sealed();
    const { setCookies } = await h.request((s) => {
      s.set("user", "ann").rememberMe(3600);
    });
    expect(setCookies[0]).toContain("Max-Age=3600");
  });

  it("a session too large for a cookie fails with PAYLOAD_TOO_LARGE and the size, sending nothing", async () => {
    const h = sealed();
    const session = await h.manager.load({ cookieHeader: null });
    session.set("blob", "x".repeat(5000));
    const lines: string[] = [];
    await expect(h.manager.commit(session, { appendSetCookie: (l) => lines.push(l) })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(
        /^\[tessera\] \[sealed-cookie\] the sealed session cookie would be \d{4} bytes, over the 4096-byte limit/,
      ),
    });
    expect(lines).toEqual([]);
  });

  it("regenerate({ keepData: false }) clears the old seal instead of leaving its data in the browser", async () => {
    const h = sealed();
    await h.request((s) => {
      s.set("user", "ann");
    });
    const { setCookies } = await h.request((s) => {
      s.regenerate({ keepData: false });
    });
    expect(setCookies).toEqual([expect.stringContaining("Max-Age=0")]);
    await h.request((s) => {
      expect(s.get("user")).toBeUndefined();
      expect(s.isNew).toBe(true);
    });
  });

  it("destroy clears the cookie; server-side revocation is refused with an explanation", async () => {
    const h = sealed();
    await h.request((s) => {
      s.set("user", "ann");
      s.owner = "u1";
    });
    const { setCookies, session } = await h.request((s) => {
      s.destroy();
    });
    expect(setCookies).toEqual([expect.stringContaining("Max-Age=0")]);
    await expect(h.manager.destroySession(session.id)).rejects.toThrow("cannot be destroyed on the server");
    await expect(h.manager.listSessions("u1")).rejects.toThrow("needs a store with an owner index");
  });

  it("regenerate({ keepData: true }) moves the data to a new ID inside a new seal", async () => {
    const h = sealed();
    const first = await h.request((s) => {
      s.set("user", "ann");
    });
    const second = await h.request((s) => {
      s.regenerate({ keepData: true });
    });
    expect(second.session.id).not.toBe(first.session.id);
    await h.request((s) => {
      expect(s.id).toBe(second.session.id);
      expect(s.get("user")).toBe("ann");
    });
  });

  it("reload returns to what the request's cookie held", async () => {
    const h = sealed();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const session = await h.manager.load({ cookieHeader: h.cookie });
    session.set("counter", 5);
    expect(await h.manager.reload(session)).toBe(true);
    expect(session.get("counter")).toBe(1);
  });

  it("rejects a too-small cookie limit at startup", () => {
    expect(() => sealedCookieStore({ maxCookieBytes: 10 })).toThrow(
      "[tessera] [sealed-cookie] `maxCookieBytes` must be an integer of at least 256.",
    );
  });
});

describe("the sealed-cookie size limit on the way in", () => {
  const record = (blob: string) => ({ data: { blob }, createdAt: 1, lastSeenAt: 1, expiresAt: 2 });
  const id = "A".repeat(43);

  it("a value longer than the store's limit allows is rejected before any decoding or decryption", async () => {
    const unlimited = new Sealer([SECRET_A], "sid");
    const token = await unlimited.seal(id, record("x".repeat(75_000)));
    expect(token.length).toBeGreaterThan(100_000);
    expect(await unlimited.open(token)).toMatchObject({ id }); // a genuine seal: only its size is wrong
    const limited = new Sealer([SECRET_A], "sid", 4096);
    const decrypt = vi.spyOn(crypto.subtle, "decrypt");
    try {
      expect(await limited.open(token)).toBeNull();
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
  });

  it("a request whose sealed cookie is over the limit gets a fresh session without decryption", async () => {
    const h = sealed();
    const oversized = await new Sealer([SECRET_A], "tessera.sid").seal(id, record("x".repeat(75_000)));
    const decrypt = vi.spyOn(crypto.subtle, "decrypt");
    try {
      const { session } = await h.request(() => {}, { cookie: `tessera.sid=${oversized}` });
      expect(session.isNew).toBe(true);
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
    expect(h.eventsOf("invalid-token").map((e) => e.reason)).toEqual(["bad-signature"]);
  });

  it("the limit is the store's maxCookieBytes less `<name>=`: a value of exactly that length still opens", async () => {
    const token = await new Sealer([SECRET_A], "sid").seal(id, record("y".repeat(2000)));
    const exact = token.length + "sid=".length;
    expect(await new Sealer([SECRET_A], "sid", exact).open(token)).toMatchObject({ id, record: record("y".repeat(2000)) });
    expect(await new Sealer([SECRET_A], "sid", exact - 1).open(token)).toBeNull();
  });
});
