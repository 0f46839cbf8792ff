/**
 * Persistent login tokens over real HTTP, one list for every adapter: `testLoginTokens(name, driver)`
 * with a driver that builds the app below with the framework's own API, the session cookie named
 * `tessera.sid`, a store, and `loginTokens: {}` plus the given clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunningApp } from "./contract.js";
import { CookieJar, isClearing } from "./cookie-jar.js";

/** The routes the app must answer (every answer is JSON). */
export const LOGIN_TOKEN_ROUTES = {
  "POST /login?user=<id>": "regenerates the session, sets owner = <id>, calls issueLoginToken() (framework's way) and answers { ok: true }",
  "GET /me": "answers { owner: <session owner or null>, restored: session.restoredFromLoginToken }",
  "POST /logout": "destroys the session and answers { ok: true }",
} as const;

/** Options the driver passes to the session middleware. */
export interface LoginTokenAppOptions {
  /** The manager's clock (`now`). */
  readonly now: () => number;
}

/** Starts the app of {@link LOGIN_TOKEN_ROUTES}; each call gets a fresh store. */
export interface LoginTokenDriver {
  start(options: LoginTokenAppOptions): Promise<RunningApp>;
}

const SESSION_COOKIE = "tessera.sid";
const LOGIN_COOKIE = "tessera.login";

/** A browser talking to `app`: its cookie jar, and `send` for one request. */
class Jar {
  constructor(
    readonly app: RunningApp,
    readonly cookies: CookieJar = new CookieJar(),
  ) {}

  async send(method: string, path: string) {
    const header = this.cookies.header;
    const response = await this.app.fetch(path, { method, headers: header === null ? {} : { cookie: header } });
    const lines = response.headers.getSetCookie();
    this.cookies.receive(lines);
    const body = JSON.parse(await response.text()) as Record<string, unknown>;
    return { status: response.status, body, lines, loginLine: lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`)) };
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  restart(): void {
    this.cookies.restart();
  }

  copy(): Jar {
    return new Jar(this.app, this.cookies.copy());
  }
}

export function testLoginTokens(name: string, driver: LoginTokenDriver): void {
  describe(`login tokens: ${name}`, () => {
    const running: RunningApp[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()));
    });
    async function start() {
      let current = Date.now();
      const app = await driver.start({ now: () => current });
      running.push(app);
      return { app, advanceSeconds: (seconds: number) => (current += seconds * 1000) };
    }

    it("log in with remember, drop the session cookie (browser restart): the next request is logged in, restored, the login cookie rotated", async () => {
      const { app, advanceSeconds } = await start();
      const browser = new Jar(app);
      const login = await browser.send("POST", "/login?user=ann");
      expect(login.status).toBe(200);
      expect(login.loginLine).toMatch(/; Max-Age=2592000;.*HttpOnly/);
      const issued = browser.get(LOGIN_COOKIE);
      expect((await browser.send("GET", "/me")).body).toEqual({ owner: "ann", restored: false });

      browser.restart();
      expect(browser.get(SESSION_COOKIE)).toBeUndefined();
      advanceSeconds(2 * 86_400);
      const restored = await browser.send("GET", "/me");
      expect(restored.body).toEqual({ owner: "ann", restored: true });
      expect(restored.lines.some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
      expect(restored.loginLine).toMatch(/; Max-Age=2419200;.*HttpOnly/);
      expect(browser.get(LOGIN_COOKIE)).not.toBe(issued);

      // The restored session carries on, still marked, and the login cookie is left alone.
      const later = await browser.send("GET", "/me");
      expect(later.body).toEqual({ owner: "ann", restored: true });
      expect(later.loginLine).toBeUndefined();
    });

    it("logout ends the login token: after a restart nobody is logged in", async () => {
      const { app } = await start();
      const browser = new Jar(app);
      await browser.send("POST", "/login?user=ann");
      const stolenCopy = browser.copy();
      const logout = await browser.send("POST", "/logout");
      expect(logout.loginLine).toBeDefined();
      expect(isClearing(logout.loginLine as string)).toBe(true);
      browser.restart();
      expect((await browser.send("GET", "/me")).body).toEqual({ owner: null, restored: false });
      stolenCopy.restart();
      expect((await stolenCopy.send("GET", "/me")).body).toEqual({ owner: null, restored: false });
    });

    it("a copied login token used by two parties: the second use logs both out", async () => {
      const { app, advanceSeconds } = await start();
      const victim = new Jar(app);
      await victim.send("POST", "/login?user=ann");
      const thief = victim.copy();
      thief.restart();
      expect((await thief.send("GET", "/me")).body).toEqual({ owner: "ann", restored: true });
      advanceSeconds(3600);
      victim.restart();
      const detected = await victim.send("GET", "/me");
      expect(detected.body).toEqual({ owner: null, restored: false });
      expect(isClearing(detected.loginLine as string)).toBe(true);
      expect((await thief.send("GET", "/me")).body).toEqual({ owner: null, restored: false });
    });
  });
}
