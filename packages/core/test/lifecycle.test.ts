import { describe, expect, it } from "vitest";
import { memoryStore } from "../src/index.js";
import { harness, recordingStore, SECRET_A, tokenOf } from "./helpers.js";

type Data = { counter: number; cart: { items: string[] }; user: string; note: string };

describe("new sessions", () => {
  it("an empty new session writes nothing and sets no cookie", async () => {
    const h = harness<Data>();
    const { session, setCookies } = await h.request((s) => {
      expect(s.get("counter")).toBeUndefined();
    });
    expect(session.isNew).toBe(true);
    expect(setCookies).toEqual([]);
    expect(h.store.calls).toEqual([]);
  });

  it("setting data creates the record once and issues a signed, HttpOnly, Lax cookie", async () => {
    const h = harness<Data>();
    const { session, setCookies } = await h.request((s) => {
      s.set("counter", 1);
    });
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(/^tessera\.sid=[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(setCookies[0]).toContain(`.${session.id}.`);
    expect(session.isNew).toBe(false);
    expect(h.eventsOf("created")).toHaveLength(1);
  });

  it("saveUninitialized stores and sends even an empty session", async () => {
    const h = harness<Data>({ saveUninitialized: true });
    const { setCookies } = await h.request();
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(setCookies).toHaveLength(1);
  });

  it("round-trips data to the next request", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1).set("cart", { items: ["a"] });
    });
    await h.request((s) => {
      expect(s.isNew).toBe(false);
      expect(s.get("counter")).toBe(1);
      expect(s.get("cart")).toEqual({ items: ["a"] });
    });
  });
});

describe("the least work at commit", () => {
  it("an unchanged request writes nothing and sends no Set-Cookie", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1).set("cart", { items: ["a"] });
    });
    h.store.calls.length = 0;
    const { setCookies } = await h.request((s) => {
      s.get("cart");
      s.get("counter");
      s.set("counter", 1); // same value: not a change
    });
    expect(setCookies).toEqual([]);
    expect(h.store.calls.map((c) => c.method)).toEqual(["get"]);
  });

  it("a changed key is written as a per-key patch with only that key", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1)
        .set("cart", { items: ["a"] })
        .set("user", "ann");
    });
    h.store.calls.length = 0;
    await h.request((s) => {
      s.set("counter", 2);
      s.unset("user");
    });
    const writes = h.store.writes();
    expect(writes.map((c) => c.method)).toEqual(["patch"]);
    const patch = writes[0]?.args[1] as { set: Record<string, unknown>; unset: string[] };
    expect({ ...patch.set }).toEqual({ counter: 2 });
    expect(patch.unset).toEqual(["user"]);
  });

  it("detects deep mutation of an object read from the session", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("cart", { items: [] });
    });
    await h.request((s) => {
      s.get("cart")?.items.push("book");
    });
    const patch = h.store.writes().at(-1);
    expect(patch?.method).toBe("patch");
    await h.request((s) => {
      expect(s.get("cart")).toEqual({ items: ["book"] });
    });
  });

  it("a browser-session cookie is not re-sent on writes; a persistent one is, with a fresh Max-Age", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const plain = await h.request((s) => {
      s.set("counter", 2);
    });
    expect(plain.setCookies).toEqual([]);
    await h.request((s) => {
      s.rememberMe(true);
    });
    h.clock.advanceSeconds(60);
    const persistent = await h.request((s) => {
      s.set("counter", 3);
    });
    expect(persistent.setCookies).toHaveLength(1);
    expect(persistent.setCookies[0]).toContain("Max-Age=1209600");
  });

  it("commit twice in one request writes only once", async () => {
    const h = harness<Data>();
    const session = await h.manager.load({ cookieHeader: null });
    session.set("counter", 1);
    const lines: string[] = [];
    await h.manager.commit(session, { appendSetCookie: (l) => lines.push(l) });
    await h.manager.commit(session, { appendSetCookie: (l) => lines.push(l) });
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(lines).toHaveLength(1);
    session.set("counter", 2);
    await h.manager.commit(session, { appendSetCookie: (l) => lines.push(l) });
    expect(h.store.writes().map((c) => c.method)).toEqual(["create", "patch"]);
  });

  it("a change made while a commit is still writing is written by the next commit", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const session = await h.manager.load({ cookieHeader: h.cookie });
    session.set("counter", 2);
    const first = h.manager.commit(session, { appendSetCookie: () => {} });
    session.set("note", "during"); // the patch for counter is in flight
    await first;
    await h.manager.commit(session, { appendSetCookie: () => {} });
    expect((await h.memory.get(session.id))?.data).toEqual({ counter: 2, note: "during" });
    const again = h.manager.commit(session, { appendSetCookie: () => {} });
    session.owner = "user-9";
    await again;
    await h.manager.commit(session, { appendSetCookie: () => {} });
    expect((await h.memory.get(session.id))?.owner).toBe("user-9");
  });

  it("a failed write keeps its changes for the next commit", async () => {
    const h = harness<Data>({ maxPayloadBytes: 200 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    const session = await h.manager.load({ cookieHeader: h.cookie });
    session.set("counter", 2).set("note", "x".repeat(300));
    await expect(h.manager.commit(session, { appendSetCookie: () => {} })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    session.unset("note");
    await h.manager.commit(session, { appendSetCookie: () => {} });
    expect((await h.memory.get(session.id))?.data).toEqual({ counter: 2 });
  });

  it("a store without patch and touch falls back to replace with the whole record", async () => {
    const inner = memoryStore();
    const limited = {
      name: "limited",
      capabilities: { patch: false, touch: false, ownerIndex: false, nativeTtl: true, atomicConditionalWrites: true },
      get: inner.get,
      create: inner.create,
      replace: inner.replace,
      destroy: inner.destroy,
    };
    const h = harness<Data>({ store: recordingStore(limited), touchAfterSeconds: 10 });
    await h.request((s) => {
      s.set("counter", 1).set("user", "ann");
    });
    await h.request((s) => {
      s.set("counter", 2);
    });
    h.clock.advanceSeconds(11);
    await h.request();
    const writes = h.store.writes();
    expect(writes.map((c) => c.method)).toEqual(["create", "replace", "replace"]);
    const replaced = writes[1]?.args[1] as { data: Record<string, unknown> };
    expect(replaced.data).toEqual({ counter: 2, user: "ann" });
  });
});

describe("expiry", () => {
  // These use a memory store on the real clock: it does not expire records by itself while the
  // fake clock runs ahead, so the core's own expiry check is what ends the session (as with a
  // store that has no native TTL).
  it("idle timeout: a session unused for idleTimeoutSeconds is gone", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 600, touchAfterSeconds: 0, store: memoryStore() });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.clock.advanceSeconds(599);
    await h.request((s) => {
      expect(s.get("counter")).toBe(1);
    });
    h.clock.advanceSeconds(599); // still alive: the last request touched it
    await h.request((s) => {
      expect(s.get("counter")).toBe(1);
    });
    h.clock.advanceSeconds(600);
    const { session, setCookies } = await h.request((s) => {
      expect(s.get("counter")).toBeUndefined();
    });
    expect(session.isNew).toBe(true);
    // The stale cookie is left alone: another request may have given the browser a newer one meanwhile.
    expect(setCookies).toEqual([]);
    expect(h.eventsOf("expired").map((e) => e.reason)).toEqual(["idle"]);
    // the expired record was removed, not left for the TTL
    expect(h.store.writes().at(-1)?.method).toBe("destroy");
  });

  it("absolute timeout ends a session however active it is", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600, touchAfterSeconds: 0, store: memoryStore() });
    await h.request((s) => {
      s.set("counter", 1);
    });
    for (let i = 0; i < 11; i++) {
      h.clock.advanceSeconds(300);
      await h.request((s) => {
        expect(s.get("counter")).toBe(1);
      });
    }
    h.clock.advanceSeconds(300); // 3600 s since creation
    await h.request((s) => {
      expect(s.get("counter")).toBeUndefined();
    });
    expect(h.eventsOf("expired").map((e) => e.reason)).toEqual(["absolute"]);
  });

  it("a store that expires records natively ends the session too (reported as unknown-session)", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 600 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.clock.advanceSeconds(600);
    const { session, setCookies } = await h.request();
    expect(session.isNew).toBe(true);
    expect(setCookies).toEqual([]);
    expect(h.eventsOf("invalid-token").map((e) => e.reason)).toEqual(["unknown-session"]);
  });

  it("expiresAt is min(idle, absolute) and drives the store record", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 1000 });
    const start = h.clock.now();
    const { session } = await h.request((s) => {
      s.set("counter", 1);
    });
    expect(session.expiresAt).toBe(start + 600_000);
    const created = h.store.writes()[0]?.args[1] as { expiresAt: number };
    expect(created.expiresAt).toBe(start + 600_000);
    h.clock.advanceSeconds(500);
    const later = await h.request((s) => {
      s.set("counter", 2);
    });
    expect(later.session.expiresAt).toBe(start + 1_000_000);
  });

  it("touch is throttled: read-only requests write nothing until touchAfterSeconds has passed", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 1000, touchAfterSeconds: 250 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.store.calls.length = 0;
    for (let i = 0; i < 5; i++) {
      h.clock.advanceSeconds(49);
      await h.request();
    }
    expect(h.store.writes()).toEqual([]);
    h.clock.advanceSeconds(5); // 250 s since the write
    await h.request();
    expect(h.store.writes().map((c) => c.method)).toEqual(["touch"]);
    expect(h.eventsOf("touched")).toHaveLength(1);
    await h.request();
    expect(h.store.writes()).toHaveLength(1);
  });

  it("concurrent read-only requests that all see a touch due touch once", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 1000, touchAfterSeconds: 100 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.clock.advanceSeconds(150);
    const sessions = await Promise.all(Array.from({ length: 10 }, () => h.manager.load({ cookieHeader: h.cookie })));
    await Promise.all(sessions.map((s) => h.manager.commit(s, { appendSetCookie: () => {} })));
    expect(h.store.writes().map((c) => c.method)).toEqual(["create", "touch"]);
    h.clock.advanceSeconds(100); // the next window: one touch again
    await h.request();
    await h.request();
    expect(h.store.writes().map((c) => c.method)).toEqual(["create", "touch", "touch"]);
  });

  it("the default touch threshold is a quarter of the idle window", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 1000 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.clock.advanceSeconds(249);
    await h.request();
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    h.clock.advanceSeconds(1);
    await h.request();
    expect(h.store.writes().map((c) => c.method)).toEqual(["create", "touch"]);
  });

  it("session.touch() forces a touch", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    await h.request((s) => {
      s.touch();
    });
    expect(h.store.writes().map((c) => c.method)).toEqual(["create", "touch"]);
  });
});

describe("remember-me", () => {
  it("rememberMe(true) gives a persistent cookie and a longer idle window, stored per session", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 600, rememberMeSeconds: 86_400, absoluteTimeoutSeconds: 864_000 });
    const { setCookies, session } = await h.request((s) => {
      s.set("user", "ann").rememberMe(true);
    });
    expect(setCookies[0]).toContain("Max-Age=86400");
    expect(session.isPersistent).toBe(true);
    h.clock.advanceSeconds(3600); // longer than the default idle timeout
    await h.request((s) => {
      expect(s.get("user")).toBe("ann");
      expect(s.isPersistent).toBe(true);
    });
  });

  it("a remember-me lifetime in seconds, and rememberMe(false) back to a browser-session cookie", async () => {
    const h = harness<Data>();
    const first = await h.request((s) => {
      s.set("user", "ann").rememberMe(7200);
    });
    expect(first.setCookies[0]).toContain("Max-Age=7200");
    const second = await h.request((s) => {
      s.rememberMe(false);
    });
    expect(second.setCookies).toHaveLength(1);
    expect(second.setCookies[0]).not.toContain("Max-Age");
  });

  it("cookie.persistent makes persistent cookies the default; rememberMe(false) still opts out", async () => {
    const h = harness<Data>({ cookie: { persistent: true }, idleTimeoutSeconds: 900 });
    const first = await h.request((s) => {
      s.set("user", "ann");
    });
    expect(first.setCookies[0]).toContain("Max-Age=900");
    const other = harness<Data>({ cookie: { persistent: true } });
    const optOut = await other.request((s) => {
      s.set("user", "ann").rememberMe(false);
    });
    expect(optOut.setCookies[0]).not.toContain("Max-Age");
  });

  it("rejects a bad remember-me value", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      expect(() => s.rememberMe(-1)).toThrow(/rememberMe\(\) takes true, false or a positive number of seconds, got -1/);
    });
  });
});

describe("regenerate and destroy", () => {
  it("regenerate({ keepData: true }) keeps the data under a new ID and destroys the old record", async () => {
    const h = harness<Data>();
    const first = await h.request((s) => {
      s.set("counter", 5);
    });
    const oldId = first.session.id;
    const oldCookie = h.cookie;
    const { session, setCookies } = await h.request((s) => {
      s.regenerate({ keepData: true });
      s.owner = "user-1";
    });
    expect(session.id).not.toBe(oldId);
    expect(setCookies).toHaveLength(1);
    expect(await h.store.get(oldId)).toBeNull();
    expect((await h.store.get(session.id))?.data).toEqual({ counter: 5 });
    expect(h.eventsOf("regenerated")).toHaveLength(1);
    // the old cookie no longer works
    const replay = await h.request(() => {}, { cookie: oldCookie });
    expect(replay.session.isNew).toBe(true);
  });

  it("regenerate() starts empty by default: no data, owner or remember-me choice carries over", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 5);
      s.owner = "planted";
      s.rememberMe(true);
    });
    const { session } = await h.request((s) => {
      s.regenerate();
      expect(s.keys()).toEqual([]);
      expect(s.owner).toBeUndefined();
      expect(s.isPersistent).toBe(false);
      s.set("user", "ann");
    });
    const stored = await h.store.get(session.id);
    expect(stored?.data).toEqual({ user: "ann" });
    expect(stored?.owner).toBeUndefined();
    expect(stored?.rememberMeSeconds).toBeUndefined();
    await h.request((s) => {
      expect(s.keys()).toEqual(["user"]);
    });
  });

  it("regenerate that leaves the session empty clears the old cookie", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 5);
    });
    const { setCookies } = await h.request((s) => {
      s.regenerate({ keepData: false });
    });
    expect(setCookies).toEqual([expect.stringContaining("tessera.sid=; Max-Age=0")]);
    expect(h.cookie).toBeNull();
  });

  it("destroy removes the record and clears the cookie", async () => {
    const h = harness<Data>();
    const first = await h.request((s) => {
      s.set("counter", 1);
    });
    const oldCookie = h.cookie;
    const { setCookies } = await h.request((s) => {
      s.destroy();
    });
    expect(setCookies).toEqual([expect.stringContaining("tessera.sid=; Max-Age=0")]);
    expect(await h.store.get(first.session.id)).toBeNull();
    expect(h.eventsOf("destroyed").map((e) => e.reason)).toEqual(["destroy"]);
    const replay = await h.request(
      (s) => {
        expect(s.get("counter")).toBeUndefined();
      },
      { cookie: oldCookie },
    );
    expect(replay.session.isNew).toBe(true);
  });

  it("data set after destroy starts a new session (a logged-out flash survives)", async () => {
    const h = harness<Data>();
    const first = await h.request((s) => {
      s.set("user", "ann");
    });
    const { session, setCookies } = await h.request((s) => {
      s.destroy();
      s.flash("notice", "Logged out");
    });
    expect(session.id).not.toBe(first.session.id);
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).not.toContain("Max-Age=0");
    await h.request((s) => {
      expect(s.get("user")).toBeUndefined();
      expect(s.flash("notice")).toBe("Logged out");
    });
  });

  it("a write that finishes after a concurrent destroy never brings the session back", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const cookie = h.cookie;
    const slow = await h.manager.load({ cookieHeader: cookie });
    await h.request((s) => {
      s.destroy();
    });
    slow.set("counter", 2);
    const lines: string[] = [];
    await h.manager.commit(slow, { appendSetCookie: (l) => lines.push(l) });
    expect(await h.store.get(slow.id)).toBeNull();
    // No clearing line: the logout's own response cleared the cookie, or a newer one replaced it.
    expect(lines).toEqual([]);
    expect(h.eventsOf("write-skipped")).toHaveLength(1);
  });

  it("a second commit after a dropped write does not bring the session back either", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const slow = await h.manager.load({ cookieHeader: h.cookie });
    const oldId = slow.id;
    await h.request((s) => {
      s.destroy();
    });
    slow.set("counter", 2);
    await h.manager.commit(slow, { appendSetCookie: () => {} });
    await h.manager.commit(slow, { appendSetCookie: () => {} });
    expect(await h.store.get(oldId)).toBeNull();
    expect(slow.isNew).toBe(true);
    expect(slow.keys()).toEqual([]);
    expect(h.store.writes().filter((c) => c.method === "create")).toHaveLength(1);
  });

  it("a touch after a concurrent destroy does not recreate either", async () => {
    const h = harness<Data>({ touchAfterSeconds: 0 });
    await h.request((s) => {
      s.set("counter", 1);
    });
    const slow = await h.manager.load({ cookieHeader: h.cookie });
    await h.request((s) => {
      s.destroy();
    });
    await h.manager.commit(slow, { appendSetCookie: () => {} });
    expect(await h.store.get(slow.id)).toBeNull();
  });

  it("concurrent requests that change different keys both survive", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1).set("note", "x");
    });
    const a = await h.manager.load({ cookieHeader: h.cookie });
    const b = await h.manager.load({ cookieHeader: h.cookie });
    a.set("counter", 2);
    b.set("note", "y");
    await h.manager.commit(a, { appendSetCookie: () => {} });
    await h.manager.commit(b, { appendSetCookie: () => {} });
    await h.request((s) => {
      expect(s.get("counter")).toBe(2);
      expect(s.get("note")).toBe("y");
    });
  });

  it("reload discards uncommitted changes and reads the stored record", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const session = await h.manager.load({ cookieHeader: h.cookie });
    session.set("counter", 99);
    expect(await h.manager.reload(session)).toBe(true);
    expect(session.get("counter")).toBe(1);
    await h.request((s) => {
      s.destroy();
    });
    expect(await h.manager.reload(session)).toBe(false);
    expect(session.isNew).toBe(true);
  });
});

describe("flash", () => {
  it("is read once", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.flash("notice", { text: "Saved" });
    });
    await h.request((s) => {
      expect(s.flash("notice")).toEqual({ text: "Saved" });
      expect(s.flash("notice")).toBeUndefined();
    });
    await h.request((s) => {
      expect(s.flash("notice")).toBeUndefined();
      expect(s.keys()).toEqual([]);
    });
  });

  it("is hidden from keys() and cannot be overwritten through set()", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.flash("notice", "hi").set("counter", 1);
      expect(s.keys()).toEqual(["counter"]);
      expect(() => (s as unknown as { set(k: string, v: unknown): void }).set("~flash", 1)).toThrow(/reserved for flash values/);
    });
  });
});

describe("tampered, unknown and malformed cookies", () => {
  it("a tampered cookie gives a fresh session and a line clearing it, without a store lookup", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    const cookie = h.cookie as string;
    const token = tokenOf(cookie);
    const flipped = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
    h.store.calls.length = 0;
    const { session, setCookies } = await h.request(() => {}, { cookie: `tessera.sid=${flipped}` });
    expect(session.isNew).toBe(true);
    expect(setCookies).toEqual([expect.stringContaining("tessera.sid=; Max-Age=0")]);
    expect(h.store.calls).toEqual([]);
    expect(h.eventsOf("invalid-token").map((e) => e.reason)).toEqual(["bad-signature"]);
  });

  it("a correctly signed cookie for a session the store does not know gives a fresh session", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    h.memory.clear();
    const { session, setCookies } = await h.request();
    expect(session.isNew).toBe(true);
    // Left alone: a valid token whose record is gone may be older than what the browser holds now.
    expect(setCookies).toEqual([]);
    expect(h.eventsOf("invalid-token").map((e) => e.reason)).toEqual(["unknown-session"]);
  });

  it.each([
    ["garbage", "tessera.sid=%%%"],
    ["empty", "tessera.sid="],
    ["only dots", "tessera.sid=..."],
    ["huge", `tessera.sid=${"a".repeat(10_000)}`],
    ["duplicated", "tessera.sid=a; tessera.sid=b"],
    ["unicode", "tessera.sid=é.é.é"],
  ])("%s cookie gives a fresh session and never throws", async (_name, cookie) => {
    const h = harness<Data>();
    const { session } = await h.request(() => {}, { cookie });
    expect(session.isNew).toBe(true);
    expect(h.store.calls).toEqual([]);
  });

  it("other cookies in the header are ignored", async () => {
    const h = harness<Data>();
    await h.request((s) => {
      s.set("counter", 1);
    });
    await h.request(
      (s) => {
        expect(s.get("counter")).toBe(1);
      },
      { cookie: `a=1; ${h.cookie}; theme=dark` },
    );
  });
});

describe("secret rotation", () => {
  it("a cookie signed by an older secret is accepted and re-issued signed with the current one", async () => {
    const { SECRET_B } = await import("./helpers.js");
    const old = harness<Data>({ secrets: [SECRET_A] });
    await old.request((s) => {
      s.set("counter", 1);
    });
    const oldCookie = old.cookie as string;
    const rotated = harness<Data>({ secrets: [SECRET_B, SECRET_A], store: old.memory, now: old.clock.now });
    const { setCookies, session } = await rotated.request(
      (s) => {
        expect(s.get("counter")).toBe(1);
      },
      { cookie: oldCookie },
    );
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toContain(`.${session.id}.`);
    expect(tokenOf((setCookies[0] as string).split(";")[0] as string)).not.toBe(tokenOf(oldCookie));
    expect(rotated.eventsOf("re-signed")).toHaveLength(1);
    expect(rotated.store.writes()).toEqual([]); // re-signing costs no store write
    // the re-issued cookie verifies without the old secret
    const retired = harness<Data>({ secrets: [SECRET_B], store: old.memory, now: old.clock.now });
    await retired.request(
      (s) => {
        expect(s.get("counter")).toBe(1);
      },
      { cookie: (setCookies[0] as string).split(";")[0] as string },
    );
    // and the old cookie does not, once the old secret is removed
    const { session: fresh } = await retired.request(() => {}, { cookie: oldCookie });
    expect(fresh.isNew).toBe(true);
  });

  it("reordering secrets keeps every cookie valid (key ids, not positions)", async () => {
    const { SECRET_B, SECRET_C } = await import("./helpers.js");
    const h = harness<Data>({ secrets: [SECRET_B, SECRET_A] });
    await h.request((s) => {
      s.set("counter", 1);
    });
    const reordered = harness<Data>({ secrets: [SECRET_C, SECRET_A, SECRET_B], store: h.memory, now: h.clock.now });
    await reordered.request(
      (s) => {
        expect(s.get("counter")).toBe(1);
      },
      { cookie: h.cookie },
    );
  });
});

describe("cookie attributes", () => {
  it("secure: auto follows the request", async () => {
    const h = harness<Data>();
    const insecure = await h.request((s) => {
      s.set("counter", 1);
    });
    expect(insecure.setCookies[0]).not.toContain("Secure");
    const secure = await h.request(
      (s) => {
        s.set("counter", 1);
      },
      { cookie: null, secure: true },
    );
    expect(secure.setCookies[0]).toContain("; Secure");
  });

  it("renders Domain, Path, SameSite, Partitioned and Priority", async () => {
    const h = harness<Data>({
      cookie: { name: "sid", domain: "example.com", path: "/app", sameSite: "strict", secure: true, partitioned: true, priority: "high" },
    });
    const { setCookies } = await h.request((s) => {
      s.set("counter", 1);
    });
    const line = setCookies[0] as string;
    for (const part of [
      "sid=",
      "Domain=example.com",
      "Path=/app",
      "SameSite=Strict",
      "Secure",
      "Partitioned",
      "Priority=High",
      "HttpOnly",
    ]) {
      expect(line).toContain(part);
    }
  });

  it("__Host- cookies work with the required attributes", async () => {
    const h = harness<Data>({ cookie: { name: "__Host-sid", secure: true } });
    const { setCookies } = await h.request((s) => {
      s.set("counter", 1);
    });
    expect(setCookies[0]).toMatch(/^__Host-sid=.*; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    await h.request((s) => {
      expect(s.get("counter")).toBe(1);
    });
  });
});

describe("header transport for API clients", () => {
  it("accepts the token from the configured header and answers in that header, not a cookie", async () => {
    const h = harness<Data>({ headerName: "X-Session" });
    const login = await h.request((s) => {
      s.set("user", "ann");
    });
    const token = login.headers["x-session"] as string;
    expect(token).toBe(h.manager.tokenFor(login.session));
    const api = await h.request(
      (s) => {
        expect(s.get("user")).toBe("ann");
        s.regenerate({ keepData: true });
      },
      { cookie: null, headers: { "x-session": token } },
    );
    expect(api.setCookies).toEqual([]);
    expect(api.headers["x-session"]).not.toBe(token);
    expect(api.headers["x-session"]).toContain(api.session.id);
  });
});

describe("payload limit", () => {
  it("a session over maxPayloadBytes fails with PAYLOAD_TOO_LARGE before anything is written", async () => {
    const h = harness<Data>({ maxPayloadBytes: 1024 });
    await h.request((s) => {
      s.set("note", "small");
    });
    h.store.calls.length = 0;
    const session = await h.manager.load({ cookieHeader: h.cookie });
    session.set("note", "é".repeat(600)); // 1200 bytes in UTF-8
    const lines: string[] = [];
    await expect(h.manager.commit(session, { appendSetCookie: (l) => lines.push(l) })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(/serializes to 12\d\d bytes, over the 1024-byte limit/),
    });
    expect(h.store.writes()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("values JSON cannot hold fail with INVALID_ARGUMENT naming the key", async () => {
    const h = harness<Record<string, unknown>>();
    const session = await h.manager.load({ cookieHeader: null });
    session.set("big", 10n);
    await expect(h.manager.commit(session, { appendSetCookie: () => {} })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining('session key "big" cannot be stored'),
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const other = await h.manager.load({ cookieHeader: null });
    other.set("loop", cyclic);
    await expect(h.manager.commit(other, { appendSetCookie: () => {} })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(h.store.writes()).toEqual([]);
  });
});

describe("prototype safety", () => {
  it("keys such as __proto__ and constructor are plain data and alter no object", async () => {
    const h = harness<Record<string, unknown>>();
    await h.request((s) => {
      s.set("__proto__", { polluted: true });
      s.set("constructor", { prototype: { polluted: true } });
      s.set("prototype", 1);
    });
    await h.request((s) => {
      expect(s.get("__proto__")).toEqual({ polluted: true });
      expect(s.get("constructor")).toEqual({ prototype: { polluted: true } });
      expect(s.keys().sort()).toEqual(["__proto__", "constructor", "prototype"]);
      const copy = s.toJSON();
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.hasOwn(copy, "__proto__")).toBe(true);
      s.set("__proto__", { changed: 1 });
    });
    await h.request((s) => {
      expect(s.get("__proto__")).toEqual({ changed: 1 });
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("owners: list and revoke", () => {
  it("lists an owner's live sessions and logs out everywhere else", async () => {
    const h = harness<Data>();
    const devices = [];
    for (const device of ["laptop", "phone", "tablet"]) {
      h.cookie = null;
      const { session } = await h.request((s) => {
        s.set("note", device);
        s.owner = "user-1";
      });
      devices.push({ session, cookie: h.cookie });
    }
    h.cookie = null;
    await h.request((s) => {
      s.set("note", "someone else");
      s.owner = "user-2";
    });
    const listed = await h.manager.listSessions("user-1");
    expect(listed.map((x) => x.data.note).sort()).toEqual(["laptop", "phone", "tablet"]);
    const current = devices[0] as (typeof devices)[number];
    const revoked = await h.manager.revokeSessions("user-1", { except: current.session });
    expect(revoked).toBe(2);
    expect((await h.manager.listSessions("user-1")).map((x) => x.id)).toEqual([current.session.id]);
    expect(await h.manager.listSessions("user-2")).toHaveLength(1);
    const phone = await h.request(() => {}, { cookie: devices[1]?.cookie ?? null });
    expect(phone.session.isNew).toBe(true);
    expect(h.eventsOf("revoked")).toEqual([expect.objectContaining({ owner: "user-1", count: 2 })]);
  });

  it("expired sessions are not listed", async () => {
    const h = harness<Data>({ idleTimeoutSeconds: 100 });
    await h.request((s) => {
      s.owner = "user-1";
    });
    h.clock.advanceSeconds(101);
    expect(await h.manager.listSessions("user-1")).toEqual([]);
  });

  it("destroySession removes one listed session and validates the ID", async () => {
    const h = harness<Data>();
    const { session } = await h.request((s) => {
      s.owner = "user-1";
    });
    await h.manager.destroySession(session.id);
    expect(await h.manager.listSessions("user-1")).toEqual([]);
    await expect(h.manager.destroySession("../../etc")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("needs a store with an owner index", async () => {
    const inner = memoryStore();
    const h = harness<Data>({
      store: {
        name: "plain",
        capabilities: { patch: false, touch: false, ownerIndex: false, nativeTtl: true, atomicConditionalWrites: true },
        get: inner.get,
        create: inner.create,
        replace: inner.replace,
        destroy: inner.destroy,
      },
    });
    await expect(h.manager.listSessions("u")).rejects.toThrow("[tessera] [plain] listSessions needs a store with an owner index");
  });
});

describe("lifecycle events", () => {
  it("never carry the session ID itself", async () => {
    const h = harness<Data>();
    const { session } = await h.request((s) => {
      s.set("counter", 1);
    });
    await h.request((s) => {
      s.regenerate({ keepData: true });
    });
    await h.request((s) => {
      s.destroy();
    });
    expect(h.events.map((e) => e.type)).toEqual(["created", "destroyed", "regenerated", "destroyed"]);
    const text = JSON.stringify(h.events);
    expect(text).not.toContain(session.id);
    for (const event of h.events) {
      if ("sessionRef" in event) expect(event.sessionRef).toMatch(/^[A-Za-z0-9_-]{12}$/);
    }
  });

  it("subscribe adds and removes listeners", async () => {
    const h = harness<Data>();
    const seen: string[] = [];
    const stop = h.manager.subscribe((e) => seen.push(e.type));
    await h.request((s) => {
      s.set("counter", 1);
    });
    stop();
    await h.request((s) => {
      s.destroy();
    });
    expect(seen).toEqual(["created"]);
  });
});

describe("custom ID generator", () => {
  it("uses generateId and validates its output", async () => {
    let n = 0;
    const h = harness<Data>({ generateId: () => `custom-id-${String(++n).padStart(16, "0")}` });
    const { session } = await h.request((s) => {
      s.set("counter", 1);
    });
    expect(session.id).toMatch(/^custom-id-0+\d$/);
    await h.request((s) => {
      expect(s.get("counter")).toBe(1);
    });
    const bad = harness<Data>({ generateId: () => "short" });
    await expect(bad.manager.load({ cookieHeader: null })).rejects.toThrow("`generateId` must return 22–128 base64url characters");
  });

  it("retries a colliding ID and fails with ID_COLLISION when the source is broken", async () => {
    const h = harness<Data>({ generateId: () => "always-the-same-id-0123456789" });
    await h.request(
      (s) => {
        s.set("counter", 1);
      },
      { cookie: null },
    );
    const session = await h.manager.load({ cookieHeader: null });
    session.set("counter", 2);
    await expect(h.manager.commit(session, { appendSetCookie: () => {} })).rejects.toMatchObject({ code: "ID_COLLISION" });
  });
});
