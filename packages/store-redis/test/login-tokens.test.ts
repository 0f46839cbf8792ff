/**
 * Persistent login tokens on a real redis-server (started by the global setup): the series lives in
 * the store as a hash with the owner index and native TTL, restoring after a browser restart,
 * theft revoking the owner's sessions through the owner index, two tabs redeeming at once (gated),
 * and "log out my other devices" keeping this browser's token.
 */
import { createSessionManager, type Session, type SessionEvent, type Store } from "@tessera/core";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CookieJar } from "../../adapter-test-suite/src/cookie-jar.js";
import { gatedStore } from "../../adapter-test-suite/src/gated-store.js";
import { redisStore } from "../src/index.js";
import { uniquePrefix } from "./clients.js";

const SECRET = "login-tokens-secret-0123456789abcdefghijklm";
const LOGIN_COOKIE = "tessera.login";
const DAY_SECONDS = 86_400;

let raw: ReturnType<typeof createClient>;
beforeAll(async () => {
  raw = createClient({ url: inject("redisUrl") });
  await raw.connect();
});
afterAll(async () => {
  await raw?.quit();
});

function setup(wrap: (store: Store) => Store = (store) => store) {
  let now = Date.now();
  const prefix = uniquePrefix("login");
  const redis = redisStore({ client: raw, prefix });
  const store = wrap(redis);
  const events: SessionEvent[] = [];
  const manager = createSessionManager({
    secrets: [SECRET],
    store,
    now: () => now,
    loginTokens: {},
    onEvent: (event) => events.push(event),
  });
  async function request(browser: CookieJar, handler: (session: Session) => void = () => {}) {
    const session = await manager.load({ cookieHeader: browser.header });
    handler(session);
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
  return {
    prefix,
    manager,
    events,
    request,
    login,
    advanceSeconds: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

const selectorOf = (browser: CookieJar) => (browser.get(LOGIN_COOKIE) as string).split(".")[0] as string;
const validatorOf = (browser: CookieJar) => (browser.get(LOGIN_COOKIE) as string).split(".")[1] as string;

describe("login tokens on Redis", () => {
  it("stores the series as a session hash with the owner index and the token's TTL, never the validator", async () => {
    const { prefix, request, login, manager } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const key = `${prefix}{${selectorOf(browser)}}`;
    const hash = await raw.hGetAll(key);
    expect(Object.keys(hash).length).toBeGreaterThan(0);
    expect(JSON.stringify(hash)).not.toContain(validatorOf(browser));
    const ttlMs = await raw.pTTL(key);
    expect(ttlMs).toBeGreaterThan((30 * DAY_SECONDS - 60) * 1000);
    expect(ttlMs).toBeLessThanOrEqual(30 * DAY_SECONDS * 1000);
    // In the owner index, but never listed as a session.
    expect(await raw.zScore(`${prefix}owner:{ann}`, selectorOf(browser))).not.toBeNull();
    expect((await manager.listSessions("ann")).map((s) => s.id)).not.toContain(selectorOf(browser));
    expect(await manager.listSessions("ann")).toHaveLength(1);
  });

  it("after a browser restart and days later, the next request is logged in, restored, with a rotated token", async () => {
    const { request, login, advanceSeconds } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const first = browser.get(LOGIN_COOKIE);
    browser.restart();
    advanceSeconds(5 * DAY_SECONDS);
    const { session } = await request(browser);
    expect(session.owner).toBe("ann");
    expect(session.restoredFromLoginToken).toBe(true);
    expect(browser.get(LOGIN_COOKIE)).not.toBe(first);
    expect((await request(browser)).session.restoredFromLoginToken).toBe(true);
  });

  it("theft: the second use of a copied token revokes the series and every session of the owner", async () => {
    const { request, login, advanceSeconds, manager, events } = setup();
    const victim = new CookieJar();
    await request(victim, login("ann"));
    const laptop = new CookieJar();
    await request(laptop, login("ann"));
    const thief = victim.copy();
    thief.restart();
    expect((await request(thief)).session.owner).toBe("ann");
    advanceSeconds(DAY_SECONDS);
    victim.restart();
    expect((await request(victim)).session.owner).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: "login-token-revoked", reason: "theft-suspected", ownerRevoked: true }));
    expect(await manager.listSessions("ann")).toEqual([]);
    expect((await request(thief)).session.owner).toBeUndefined();
    expect((await request(laptop)).session.owner).toBeUndefined();
    laptop.restart();
    expect((await request(laptop)).session.owner).toBeUndefined();
  });

  for (const order of ["first", "second"] as const) {
    it(`two tabs redeeming at once (held at get, the ${order} opened first) both log in with the same token`, async () => {
      let gated!: ReturnType<typeof gatedStore<Store>>;
      const { request, login, manager, events } = setup((store) => {
        gated = gatedStore<Store>(store);
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
      const [opened, later] = order === "first" ? [holdA, holdB] : [holdB, holdA];
      opened.open();
      await (order === "first" ? tabA : tabB);
      later.open();
      const sessions = [await tabA, await tabB];
      const loginLines: Array<string | undefined> = [];
      for (const session of sessions) {
        const lines: string[] = [];
        await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
        loginLines.push(lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`)));
        expect(session.owner).toBe("ann");
      }
      expect(loginLines[0]).toBeDefined();
      expect(loginLines[0]).toBe(loginLines[1]);
      expect(events.filter((e) => e.type === "login-token-revoked")).toEqual([]);
      browser.receive([loginLines[0] as string]);
      browser.restart();
      expect((await request(browser)).session.owner).toBe("ann");
    });
  }

  it("log out my other devices keeps this browser's token and ends the others'", async () => {
    const { request, login, manager } = setup();
    const phone = new CookieJar();
    await request(phone, login("ann"));
    const laptop = new CookieJar();
    await request(laptop, login("ann"));
    const { session } = await request(laptop);
    expect(await manager.revokeSessions("ann", { except: session })).toBe(2);
    laptop.restart();
    expect((await request(laptop)).session.owner).toBe("ann");
    phone.restart();
    expect((await request(phone)).session.owner).toBeUndefined();
  });

  it("logout ends the series in Redis", async () => {
    const { prefix, request, login } = setup();
    const browser = new CookieJar();
    await request(browser, login("ann"));
    const key = `${prefix}{${selectorOf(browser)}}`;
    await request(browser, (s) => s.destroy());
    expect(await raw.exists(key)).toBe(0);
    expect(browser.get(LOGIN_COOKIE)).toBeUndefined();
  });
});
