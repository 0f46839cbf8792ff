/**
 * Persistent login tokens through the manager: issue at login, restore after the browser dropped
 * its session cookie, rotation, logout, theft, concurrent tabs, owner administration, and that
 * nothing secret is reachable from what the app holds. Memory store, fixed clock.
 */
import { describe, expect, it } from "vitest";
import { CookieJar } from "../../adapter-test-suite/src/cookie-jar.js";
import { gatedStore } from "../../adapter-test-suite/src/gated-store.js";
import {
  createSessionManager,
  memoryStore,
  type Session,
  type SessionEvent,
  type SessionManagerOptions,
  type Store,
  sealedCookieStore,
} from "../src/index.js";
import { fakeClock, SECRET_A } from "./helpers.js";

const DAY_SECONDS = 86_400;
const SESSION_COOKIE = "tessera.sid";
const LOGIN_COOKIE = "tessera.login";

function setup(options: Partial<SessionManagerOptions> = {}, wrap: (store: Store) => Store = (s) => s) {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const store = wrap(memory);
  const events: SessionEvent[] = [];
  const manager = createSessionManager({
    secrets: [SECRET_A],
    now: clock.now,
    store,
    loginTokens: {},
    onEvent: (event) => events.push(event),
    ...options,
  });
  /** One request from `browser`: load, handler, commit; the browser takes the Set-Cookie lines. */
  async function request(browser: CookieJar, handler: (session: Session) => unknown = () => {}, secure = false) {
    const session = await manager.load({ cookieHeader: browser.header, secure });
    await handler(session);
    const lines: string[] = [];
    await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    browser.receive(lines);
    return { session, lines };
  }
  const login = (owner: string) => (session: Session) => {
    session.regenerate();
    session.owner = owner;
    session.issueLoginToken();
  };
  const ofType = <T extends SessionEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  return { clock, memory, store, manager, events, request, login, ofType };
}

describe("configuration", () => {
  it("is off without `loginTokens`: issueLoginToken() fails with INVALID_CONFIG", async () => {
    const manager = createSessionManager({ secrets: [SECRET_A] });
    const session = await manager.load({ cookieHeader: null });
    session.owner = "ann";
    expect(() => session.issueLoginToken()).toThrow(expect.objectContaining({ code: "INVALID_CONFIG" }));
  });

  it("refuses the sealed-cookie store at startup (no server record to detect theft with)", () => {
    expect(() => createSessionManager({ secrets: [SECRET_A], store: sealedCookieStore(), loginTokens: {} })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(/server-side store/) }),
    );
  });

  it("fails loudly on unknown names and bad values", () => {
    const make = (loginTokens: unknown) => () => createSessionManager({ secrets: [SECRET_A], loginTokens: loginTokens as object });
    expect(make({ lifetime: 5 })).toThrow(/unknown option `lifetime`; did you mean `lifetimeSeconds`\?/);
    expect(make({ cookieName: "tessera.sid" })).toThrow(/must differ from the session cookie/);
    expect(make({ cookieName: "bad name" })).toThrow(/not a valid cookie name/);
    expect(make({ cookieName: "__Host-login" })).toThrow(/__Host- prefix/);
    expect(make({ lifetimeSeconds: 0 })).toThrow(/positive number/);
    expect(make({ graceSeconds: -1 })).toThrow(/>= 0/);
    expect(make({ lifetimeSeconds: 60, graceSeconds: 60 })).toThrow(/below/);
    expect(make(true)).toThrow(/must be an object/);
    for (const bad of [{ lifetime: 5 }, true]) expect(make(bad)).toThrow(expect.objectContaining({ code: "INVALID_CONFIG" }));
  });

  it("issueLoginToken() needs an owner", async () => {
    const { manager } = setup();
    const session = await manager.load({ cookieHeader: null });
    expect(() => session.issueLoginToken()).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("issue and restore", () => {
  it("sets a separate HttpOnly login cookie whose Max-Age is the token lifetime", async () => {
    const { request, login, ofType } = setup();
    const browser = new CookieJar();
    const { lines } = await request(browser, login("ann"));
    const loginLine = lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`));
    expect(loginLine).toMatch(/; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(lines.some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    expect(ofType("login-token-issued")).toEqual([
      { type: "login-token-issued", at: expect.any(Number), seriesRef: expect.any(String), owner: "ann" },
    ]);
  });

  it("follows the session cookie's Secure (auto), Path, Domain and SameSite", async () => {
    const { request, login } = setup({ cookie: { path: "/app", domain: "example.com", sameSite: "strict" } });
    const { lines } = await request(new CookieJar(), login("ann"), true);
    const loginLine = lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`)) as string;
    expect(loginLine).toContain("; Domain=example.com; Path=/app; HttpOnly; Secure; SameSite=Strict");
  });

  it("after a browser restart, the next request is logged in again, restored, with a rotated login cookie", async () => {
    const { request, login, ofType, clock } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const firstToken = browser.get(LOGIN_COOKIE);
    browser.restart();
    expect(browser.get(SESSION_COOKIE)).toBeUndefined();
    clock.advanceSeconds(3 * DAY_SECONDS);
    const { session, lines } = await request(browser);
    expect(session.owner).toBe("ann");
    expect(session.restoredFromLoginToken).toBe(true);
    expect(lines.some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    expect(browser.get(LOGIN_COOKIE)).toBeDefined();
    expect(browser.get(LOGIN_COOKIE)).not.toBe(firstToken);
    // The rotated cookie keeps the series' expiry: 27 days left.
    expect(lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`))).toContain(`Max-Age=${27 * DAY_SECONDS}`);
    const [redeemed] = ofType("login-token-redeemed");
    expect(redeemed).toMatchObject({ owner: "ann", rotated: true, sessionRef: expect.any(String) });
    // Later requests of that session still know it was restored; a login (regenerate) ends that.
    const later = await request(browser);
    expect(later.session.restoredFromLoginToken).toBe(true);
    expect(later.lines).toEqual([]);
    const relogin = await request(browser, (s) => {
      s.regenerate();
      s.owner = "ann";
    });
    expect(relogin.session.restoredFromLoginToken).toBe(false);
    expect((await request(browser)).session.restoredFromLoginToken).toBe(false);
  });

  it("restores after the session expired (idle timeout passed) without the browser restarting", async () => {
    const { request, login, clock } = setup({ idleTimeoutSeconds: 3600 });
    const browser = new CookieJar();
    await request(browser, login("ann"));
    clock.advanceSeconds(2 * 3600);
    const { session } = await request(browser);
    expect(session.owner).toBe("ann");
    expect(session.restoredFromLoginToken).toBe(true);
  });

  it("with sendOnlyOverHttps, a plain-HTTP request neither gets nor redeems a login token", async () => {
    const { request, login, memory } = setup({ cookie: { secure: true, sendOnlyOverHttps: true } });
    const browser = new CookieJar();
    expect((await request(browser, login("ann"), false)).lines).toEqual([]);
    await request(browser, login("ann"), true);
    const token = browser.get(LOGIN_COOKIE);
    expect(token).toBeDefined();
    browser.restart();
    const plain = await request(browser, () => {}, false);
    expect(plain.session.owner).toBeUndefined();
    expect(plain.lines).toEqual([]);
    // The series was not rotated: the token still works over HTTPS.
    const selector = (token as string).split(".")[0] as string;
    expect((await memory.get(selector))?.data.rotatedAt).toBeUndefined();
    expect((await request(browser, () => {}, true)).session.owner).toBe("ann");
  });

  it("a live session is used as it is: the login cookie is not redeemed", async () => {
    const { request, login, ofType } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const token = browser.get(LOGIN_COOKIE);
    const { session, lines } = await request(browser);
    expect(session.restoredFromLoginToken).toBe(false);
    expect(lines).toEqual([]);
    expect(browser.get(LOGIN_COOKIE)).toBe(token);
    expect(ofType("login-token-redeemed")).toHaveLength(0);
  });

  it("an unknown or expired login token logs nobody in and is cleared", async () => {
    const { request, login, clock, ofType, manager } = setup({ loginTokens: { lifetimeSeconds: 7 * DAY_SECONDS } });
    const browser = new CookieJar();
    await request(browser, login("ann"));
    browser.restart();
    clock.advanceSeconds(8 * DAY_SECONDS);
    const session = await manager.load({ cookieHeader: browser.header });
    expect(manager.needsCommit(session)).toBe(true);
    const lines: string[] = [];
    await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    browser.receive(lines);
    expect(session.owner).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${LOGIN_COOKIE}=; Max-Age=0`))]);
    expect(browser.get(LOGIN_COOKIE)).toBeUndefined();
    expect(ofType("login-token-revoked")).toEqual([expect.objectContaining({ reason: "unknown", owner: undefined })]);
    const garbage = new CookieJar();
    garbage.receive([`${LOGIN_COOKIE}=nonsense; Max-Age=100`]);
    const { session: anon, lines: cleared } = await request(garbage);
    expect(anon.owner).toBeUndefined();
    expect(cleared).toEqual([expect.stringMatching(new RegExp(`^${LOGIN_COOKIE}=;`))]);
  });

  it("a session cookie naming a token series is an unknown session", async () => {
    const { request, login, manager, ofType } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const selector = (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
    // A correctly signed session token for the selector (as someone holding the secret could make).
    const signer = createSessionManager({ secrets: [SECRET_A], generateId: () => selector });
    const token = signer.tokenFor(await signer.load({ cookieHeader: null }));
    const session = await manager.load({ cookieHeader: `${SESSION_COOKIE}=${token}` });
    expect(session.owner).toBeUndefined();
    expect(session.isNew).toBe(true);
    expect(ofType("invalid-token")).toEqual([expect.objectContaining({ reason: "unknown-session" })]);
  });
});

describe("logout and theft", () => {
  it("destroy() (logout) ends the browser's series and clears the login cookie", async () => {
    const { request, login, ofType, memory } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const selector = (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
    const { lines } = await request(browser, (s) => s.destroy());
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${LOGIN_COOKIE}=; Max-Age=0`)));
    expect(browser.get(LOGIN_COOKIE)).toBeUndefined();
    expect(await memory.get(selector)).toBeNull();
    expect(ofType("login-token-revoked")).toEqual([expect.objectContaining({ reason: "logout" })]);
    // A copy of the old login cookie logs nobody in any more.
    const replay = new CookieJar();
    replay.receive([`${LOGIN_COOKIE}=${selector}.${"A".repeat(43)}; Max-Age=100`]);
    expect((await request(replay)).session.owner).toBeUndefined();
  });

  it("a logout in the request that restored the session ends the series too", async () => {
    const { request, login, memory } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const selector = (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
    browser.restart();
    const { session } = await request(browser, (s) => {
      expect(s.restoredFromLoginToken).toBe(true);
      s.destroy();
    });
    expect(session.owner).toBeUndefined();
    expect(browser.get(LOGIN_COOKIE)).toBeUndefined();
    expect(await memory.get(selector)).toBeNull();
  });

  it("theft: a thief and the victim both use copies; the second use revokes the series and every session of the owner", async () => {
    const { request, login, clock, ofType, manager } = setup();
    const victim = new CookieJar();
    await request(victim, login("ann"));
    const laptop = new CookieJar();
    await request(laptop, login("ann"));
    const thief = victim.copy();
    thief.restart();
    // The thief uses the stolen token first and is logged in.
    expect((await request(thief)).session.owner).toBe("ann");
    clock.advanceSeconds(DAY_SECONDS);
    // The victim's browser restarts and presents the (now replaced) token: theft.
    victim.restart();
    const { session, lines } = await request(victim);
    expect(session.owner).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${LOGIN_COOKIE}=;`))]);
    expect(ofType("login-token-revoked")).toEqual([
      expect.objectContaining({ reason: "theft-suspected", owner: "ann", ownerRevoked: true }),
    ]);
    expect(ofType("revoked")).toEqual([expect.objectContaining({ owner: "ann" })]);
    // Everyone must log in again: the thief's session, the thief's rotated token and the laptop are gone.
    expect((await request(thief)).session.owner).toBeUndefined();
    thief.restart();
    expect((await request(thief)).session.owner).toBeUndefined();
    expect((await request(laptop)).session.owner).toBeUndefined();
    expect(await manager.listSessions("ann")).toEqual([]);
  });

  it("theft without an owner index revokes the series only (documented)", async () => {
    const { request, login, clock, ofType } = setup({}, (memory) => ({
      name: memory.name,
      capabilities: { ...memory.capabilities, ownerIndex: false, patch: false, touch: false },
      get: (id) => memory.get(id),
      create: (id, record) => memory.create(id, record),
      replace: (id, record) => memory.replace(id, record),
      destroy: (id) => memory.destroy(id),
    }));
    const victim = new CookieJar();
    await request(victim, login("ann"));
    const laptop = new CookieJar();
    await request(laptop, login("ann"));
    const thief = victim.copy();
    thief.restart();
    expect((await request(thief)).session.owner).toBe("ann");
    clock.advanceSeconds(DAY_SECONDS);
    victim.restart();
    expect((await request(victim)).session.owner).toBeUndefined();
    expect(ofType("login-token-revoked")).toEqual([expect.objectContaining({ reason: "theft-suspected", ownerRevoked: false })]);
    thief.restart();
    expect((await request(thief)).session.owner).toBeUndefined();
    // Without an owner index the other sessions cannot be found: the laptop stays logged in.
    expect((await request(laptop)).session.owner).toBe("ann");
  });

  it("two tabs restoring at once (both held at get) both log in with the same new token, no theft", async () => {
    let gated!: ReturnType<typeof gatedStore<Store>>;
    const { request, login, manager, ofType } = setup({}, (memory) => {
      gated = gatedStore<Store>(memory);
      return gated;
    });
    const browser = new CookieJar();
    await request(browser, login("ann"));
    browser.restart();
    const holdA = gated.hold("get");
    const holdB = gated.hold("get");
    const tabA = manager.load({ cookieHeader: browser.header });
    await holdA.reached;
    const tabB = manager.load({ cookieHeader: browser.header });
    await holdB.reached;
    holdB.open();
    const b = await tabB;
    holdA.open();
    const a = await tabA;
    const commit = async (session: Session) => {
      const lines: string[] = [];
      await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
      return lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`));
    };
    const [lineA, lineB] = [await commit(a), await commit(b)];
    expect(a.owner).toBe("ann");
    expect(b.owner).toBe("ann");
    expect(lineA).toBeDefined();
    expect(lineA).toBe(lineB);
    expect(ofType("login-token-revoked")).toEqual([]);
    browser.receive([lineA as string]);
    browser.restart();
    expect((await request(browser)).session.owner).toBe("ann");
  });
});

describe("what is not a logout", () => {
  it("a write that finds the session gone (revoked or expired meanwhile) keeps the browser's login token", async () => {
    const { request, login, memory, manager } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const selector = (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
    const session = await manager.load({ cookieHeader: browser.header });
    await memory.destroy(session.id);
    session.set("theme", "dark");
    const lines: string[] = [];
    await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    expect(lines.filter((line) => line.startsWith(`${LOGIN_COOKIE}=`))).toEqual([]);
    expect(await memory.get(selector)).not.toBeNull();
    // The next request has no session and is restored from the token.
    expect((await request(browser)).session.restoredFromLoginToken).toBe(true);
  });

  it("reload() of a session that is gone keeps the browser's login token", async () => {
    const { request, login, memory, manager } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const selector = (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
    const session = await manager.load({ cookieHeader: browser.header });
    await memory.destroy(session.id);
    expect(await manager.reload(session)).toBe(false);
    await manager.commit(session, { appendSetCookie: () => {} });
    expect(await memory.get(selector)).not.toBeNull();
  });
});

describe("owner administration and secrecy", () => {
  it("listSessions shows sessions only, without the login bookkeeping", async () => {
    const { request, login, manager } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    browser.restart();
    await request(browser, (s) => s.set("theme", "dark"));
    const sessions = await manager.listSessions("ann");
    expect(sessions).toHaveLength(2);
    for (const summary of sessions) expect(Object.keys(summary.data)).not.toContain("~login");
    expect(sessions.map((s) => s.data)).toContainEqual({ theme: "dark" });
  });

  it("revokeSessions(owner, { except: session }) keeps this device's login token, and ends the others'", async () => {
    const { request, login, manager, memory } = setup();
    const phone = new CookieJar();
    await request(phone, login("ann"));
    const laptop = new CookieJar();
    await request(laptop, login("ann"));
    const { session } = await request(laptop);
    expect(await manager.revokeSessions("ann", { except: session })).toBe(2);
    expect((await request(laptop)).session.owner).toBe("ann");
    expect((await request(phone)).session.owner).toBeUndefined();
    phone.restart();
    expect((await request(phone)).session.owner).toBeUndefined();
    laptop.restart();
    expect((await request(laptop)).session.owner).toBe("ann");
    // The same by ID.
    const tablet = new CookieJar();
    await request(tablet, login("ann"));
    const current = await request(laptop);
    await manager.revokeSessions("ann", { except: current.session.id });
    laptop.restart();
    expect((await request(laptop)).session.owner).toBe("ann");
    tablet.restart();
    expect((await request(tablet)).session.owner).toBeUndefined();
    void memory;
  });

  it("revokeSessions(owner) without except ends every login token of the owner", async () => {
    const { request, login, manager } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    await manager.revokeSessions("ann");
    browser.restart();
    expect((await request(browser)).session.owner).toBeUndefined();
  });
});
