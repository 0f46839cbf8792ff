/**
 * `testAdapter(name, driver)`: registers the HTTP scenarios every adapter must pass, as a vitest
 * `describe` block. Each scenario starts a fresh app (real HTTP where the framework has a server)
 * over a counting memory store and a fake clock.
 */
import { memoryStore } from "@tessera/core";
import { afterEach, describe, expect, it } from "vitest";
import { Browser, COOKIE_NAME, type Reply } from "./browser.js";
import type { AdapterDriver, RunningApp, SessionSnapshot, SuiteAppOptions } from "./contract.js";
import { isClearing } from "./cookie-jar.js";
import { type CountingStore, countingStore } from "./counting-store.js";

export const SECRET_A = "adapter-suite-secret-a-0123456789abcdefghijkl";
export const SECRET_B = "adapter-suite-secret-b-0123456789abcdefghijkl";

/** Defaults of every scenario; the expiry scenarios rely on these numbers. */
const IDLE_SECONDS = 600;
const ABSOLUTE_SECONDS = 3600;
const REMEMBER_ME_SECONDS = 1800;

/** The scenarios, by ID, as they appear in the report. */
export const ADAPTER_SCENARIOS = {
  "no-cookie-until-data": "no cookie and no store call until data is set",
  "round-trip": "data set in one request is there in the next",
  "unchanged-request": "an unchanged request sends no Set-Cookie and writes nothing",
  regenerate: "regenerate starts an empty session under a new ID (nothing planted survives) and kills the old one",
  destroy: "destroy clears the cookie and the record",
  "tampered-cookie": "a tampered or unknown cookie gives a fresh session without a store lookup",
  "older-secret": "a cookie signed with an older secret is re-signed with the current one",
  "idle-expiry": "a session unused for the idle timeout expires (fake clock)",
  "absolute-expiry": "a session expires at the absolute timeout however active (fake clock)",
  "remember-me": "remember-me gives a Max-Age cookie, otherwise a browser-session cookie",
  flash: "a flash value is read once",
  "other-set-cookie": "Set-Cookie lines the app sets itself survive",
  "failing-store": "a failing store reaches the error handler as a 503 with a typed error, nothing half-written",
} as const;

type Fixture = {
  app: RunningApp;
  browser: Browser;
  store: CountingStore;
  clock: { now: () => number; advanceSeconds(seconds: number): void };
  /** Starts another app on the same store and clock (e.g. with rotated secrets). */
  restart(overrides: Partial<SuiteAppOptions>): Promise<RunningApp>;
};

function json(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value));
}

/** Registers the scenarios for one adapter on one framework version. */
export function testAdapter(name: string, driver: AdapterDriver): void {
  describe(`adapter conformance: ${name}`, () => {
    const running: RunningApp[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()));
    });

    async function fixture(): Promise<Fixture> {
      let current = Date.now();
      const clock = {
        now: () => current,
        advanceSeconds: (seconds: number) => {
          current += seconds * 1000;
        },
      };
      const store = countingStore(memoryStore({ now: clock.now }));
      const base: SuiteAppOptions = {
        secrets: [SECRET_A],
        store,
        now: clock.now,
        idleTimeoutSeconds: IDLE_SECONDS,
        absoluteTimeoutSeconds: ABSOLUTE_SECONDS,
        rememberMeSeconds: REMEMBER_ME_SECONDS,
      };
      const start = async (overrides: Partial<SuiteAppOptions>) => {
        const app = await driver.start({ ...base, ...overrides });
        running.push(app);
        return app;
      };
      const app = await start({});
      return { app, browser: new Browser(app), store, clock, restart: start };
    }

    const scenario = (id: keyof typeof ADAPTER_SCENARIOS, body: () => Promise<void>) => it(`${id}: ${ADAPTER_SCENARIOS[id]}`, body);
    const read = (browser: Browser) => browser.request<SessionSnapshot>("GET", "/session");
    const set = (browser: Browser, data: Record<string, unknown>) => browser.request<SessionSnapshot>("POST", `/set?data=${json(data)}`);
    /** The session ID inside a `name=<kid>.<id>.<mac>` cookie pair. */
    const idIn = (cookie: string | null) => cookie?.slice(cookie.indexOf("=") + 1).split(".")[1];

    scenario("no-cookie-until-data", async () => {
      const { browser, store } = await fixture();
      const first = await read(browser);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ isNew: true, data: {} });
      expect(first.setCookies).toEqual([]);
      expect(store.calls).toEqual([]);
      const second = await set(browser, { n: 1 });
      expect(second.status).toBe(200);
      expect(second.sessionLine).toMatch(
        new RegExp(`^${COOKIE_NAME.replace(".", "\\.")}=[\\w-]+\\.[\\w-]{43}\\.[\\w-]+; Path=/; HttpOnly; SameSite=Lax$`),
      );
      expect(store.writes()).toEqual(["create"]);
    });

    scenario("round-trip", async () => {
      const { browser } = await fixture();
      const data = { n: 1, nested: { list: [1, "two", { three: null }] }, text: "żółć 😀", no: false };
      const created = await set(browser, data);
      const next = await read(browser);
      expect(next.body).toEqual({ id: created.body.id, isNew: false, data });
      expect(next.setCookies).toEqual([]);
    });

    scenario("unchanged-request", async () => {
      const { browser, store } = await fixture();
      await set(browser, { n: 1, list: [1, 2] });
      store.resetCalls();
      const plain = await read(browser);
      expect(plain.body.data).toEqual({ n: 1, list: [1, 2] });
      const same = await set(browser, { n: 1, list: [1, 2] });
      expect(same.body.data).toEqual({ n: 1, list: [1, 2] });
      expect([...plain.setCookies, ...same.setCookies]).toEqual([]);
      expect(store.calls).toEqual(["get", "get"]);
    });

    scenario("regenerate", async () => {
      const { app, browser, store } = await fixture();
      const before = await set(browser, { planted: "by an attacker", cart: [1] });
      const oldCookie = browser.cookie;
      const after = await browser.request<SessionSnapshot>("POST", `/regenerate?data=${encodeURIComponent('{"user":"ann"}')}`);
      expect(after.status).toBe(200);
      expect(after.body.id).not.toBe(before.body.id);
      expect(after.body.data).toEqual({ user: "ann" });
      expect(after.sessionLine).toBeDefined();
      expect(browser.cookie).not.toBe(oldCookie);
      expect(await store.memory.get(before.body.id)).toBeNull();
      expect((await read(browser)).body).toEqual({ id: after.body.id, isNew: false, data: { user: "ann" } });
      const replay = new Browser(app);
      replay.cookie = oldCookie;
      const replayed = await read(replay);
      expect(replayed.body).toMatchObject({ isNew: true, data: {} });
      // A valid token whose record is gone is left alone: the browser may hold a newer cookie by now.
      expect(replayed.sessionLine).toBeUndefined();
    });

    scenario("destroy", async () => {
      const { app, browser, store } = await fixture();
      const created = await set(browser, { user: "ann" });
      const oldCookie = browser.cookie;
      const destroyed = await browser.request("POST", "/destroy");
      expect(destroyed.status).toBe(200);
      expect(destroyed.sessionLine).toBeDefined();
      expect(isClearing(destroyed.sessionLine as string)).toBe(true);
      expect(browser.cookie).toBeNull();
      expect(await store.memory.get(created.body.id)).toBeNull();
      const replay = new Browser(app);
      replay.cookie = oldCookie;
      expect((await read(replay)).body).toMatchObject({ isNew: true, data: {} });
    });

    scenario("tampered-cookie", async () => {
      const { app, browser, store } = await fixture();
      await set(browser, { user: "ann" });
      const valid = browser.cookie as string;
      const last = valid.at(-1) === "A" ? "B" : "A";
      const forged = [
        `${valid.slice(0, -1)}${last}`,
        `${COOKIE_NAME}=nonsense`,
        `${COOKIE_NAME}=${"x".repeat(8)}.${"y".repeat(43)}.${"z".repeat(43)}`,
      ];
      store.resetCalls();
      for (const cookie of forged) {
        const client = new Browser(app);
        client.cookie = cookie;
        const reply = await read(client);
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({ isNew: true, data: {} });
        expect(reply.sessionLine !== undefined && isClearing(reply.sessionLine)).toBe(true);
      }
      expect(store.calls).toEqual([]);
      expect((await read(browser)).body.data).toEqual({ user: "ann" });
    });

    scenario("older-secret", async () => {
      const { browser, store, restart } = await fixture();
      const created = await set(browser, { user: "ann" });
      const oldCookie = browser.cookie as string;
      browser.use(await restart({ secrets: [SECRET_B, SECRET_A] }));
      store.resetCalls();
      const resigned = await read(browser);
      expect(resigned.body).toEqual({ id: created.body.id, isNew: false, data: { user: "ann" } });
      expect(resigned.sessionLine).toBeDefined();
      expect(browser.cookie).not.toBe(oldCookie);
      expect(idIn(browser.cookie)).toBe(idIn(oldCookie));
      expect(store.writes()).toEqual([]);
      const settled = await read(browser);
      expect(settled.setCookies).toEqual([]);
    });

    scenario("idle-expiry", async () => {
      const { browser, store, clock } = await fixture();
      const created = await set(browser, { user: "ann" });
      clock.advanceSeconds(IDLE_SECONDS - 1);
      expect((await read(browser)).body.data).toEqual({ user: "ann" }); // and touched: the idle window restarts
      clock.advanceSeconds(IDLE_SECONDS - 1);
      expect((await read(browser)).body.data).toEqual({ user: "ann" });
      clock.advanceSeconds(IDLE_SECONDS);
      const expired = await read(browser);
      expect(expired.body).toMatchObject({ isNew: true, data: {} });
      expect(expired.sessionLine).toBeUndefined();
      expect(await store.memory.get(created.body.id)).toBeNull();
    });

    scenario("absolute-expiry", async () => {
      const { browser, clock } = await fixture();
      await set(browser, { user: "ann" });
      const step = IDLE_SECONDS / 2;
      for (let elapsed = step; elapsed < ABSOLUTE_SECONDS; elapsed += step) {
        clock.advanceSeconds(step);
        expect((await read(browser)).body.data, `alive after ${elapsed} s`).toEqual({ user: "ann" });
      }
      clock.advanceSeconds(step);
      expect((await read(browser)).body).toMatchObject({ isNew: true, data: {} });
    });

    scenario("remember-me", async () => {
      const { browser } = await fixture();
      const plain = await set(browser, { user: "ann" });
      expect(plain.sessionLine).not.toMatch(/max-age|expires/i);
      const remembered = await browser.request("POST", "/remember?on=true");
      expect(remembered.sessionLine).toMatch(new RegExp(`; Max-Age=${REMEMBER_ME_SECONDS}(;|$)`));
      const forgotten = await browser.request("POST", "/remember?on=false");
      expect(forgotten.sessionLine).toBeDefined();
      expect(forgotten.sessionLine).not.toMatch(/max-age|expires/i);
      expect((await read(browser)).body.data).toEqual({ user: "ann" });
    });

    scenario("flash", async () => {
      const { browser } = await fixture();
      await browser.request("POST", `/flash?message=${json("saved")}`);
      expect((await browser.request("GET", "/flash")).body).toEqual({ message: "saved" });
      expect((await browser.request("GET", "/flash")).body).toEqual({ message: null });
    });

    scenario("other-set-cookie", async () => {
      const { browser } = await fixture();
      const reply = await browser.request("GET", "/other-cookies");
      const names = reply.setCookies.map((line) => line.split("=")[0]);
      expect(names).toEqual(expect.arrayContaining(["a", "b", COOKIE_NAME]));
      expect(reply.setCookies.find((line) => line.startsWith("a="))).toMatch(/^a=1;/);
      expect(reply.setCookies.find((line) => line.startsWith("b="))).toMatch(/^b=2;/);
      expect((await read(browser)).body.data).toEqual({ visited: true });
    });

    scenario("failing-store", async () => {
      const { browser, store } = await fixture();
      const typed = { error: "SessionError", code: "STORE_UNAVAILABLE" };
      const expectNoSessionCookie = (reply: Reply<unknown>) => expect(reply.sessionLine).toBeUndefined();

      // A new session whose create fails: no cookie for a session that does not exist.
      store.failing = true;
      const create = await set(browser, { user: "ann" });
      expect(create.status).toBe(503);
      expect(create.body).toEqual(typed);
      expectNoSessionCookie(create);
      store.failing = false;
      expect(store.memory.size).toBe(0);

      // An existing session: a failing write leaves the stored data as it was.
      const created = await set(browser, { user: "ann" });
      store.failing = true;
      const change = await set(browser, { user: "bob" });
      expect(change.status).toBe(503);
      expect(change.body).toEqual(typed);
      expectNoSessionCookie(change);
      // A failing read (load) goes the same way.
      const load = await read(browser);
      expect(load.status).toBe(503);
      expect(load.body).toEqual(typed);
      expectNoSessionCookie(load);
      store.failing = false;
      expect((await read(browser)).body).toEqual({ id: created.body.id, isNew: false, data: { user: "ann" } });
    });
  });
}
