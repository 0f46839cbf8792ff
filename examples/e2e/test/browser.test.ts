/**
 * The demo in a real browser (Debian's Chromium driven by playwright-core), on each framework:
 * login, an HttpOnly cookie that page scripts cannot read, remember-me (persistent cookie) versus
 * a browser-session cookie, the flash message, logout, a replayed old cookie refused, and "log out
 * my other sessions". Then once more with the demo keeping its sessions in Redis (REDIS_URL), as
 * `REDIS_URL=... pnpm demo` does.
 */
import { existsSync } from "node:fs";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { type Browser, type BrowserContext, type Cookie, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, startDemo } from "./demo-process.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const COOKIE = "tessera.sid";

let browser: Browser;
let demo: RunningDemo;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  [browser, demo] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }),
    startDemo(),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), demo?.stop()]);
});

async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === COOKIE);
}

async function logIn(page: Page, base: string, username: string, remember: boolean): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('input[name="username"]', username);
  if (remember) await page.check('input[name="remember"]');
  await Promise.all([page.waitForURL(`${base}/profile`), page.getByRole("button", { name: "Log in" }).click()]);
}

for (const framework of ["Express", "Koa", "Hono"] as const) {
  describe(`the demo on ${framework}, in Chromium`, () => {
    const base = () => demo.urls[framework];

    it("counts visits, logs in with a new session ID, and keeps the cookie away from page scripts", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base()}/`);
      await page.reload();
      expect(await page.textContent("#visits")).toBe("2");
      const anonymous = await sessionCookie(context);
      expect(anonymous?.httpOnly).toBe(true);

      await logIn(page, base(), "ann", false);
      expect(await page.textContent("#user")).toBe("ann");
      expect(await page.textContent(".notice")).toBe("Signed in as ann.");
      const cookie = await sessionCookie(context);
      expect(cookie?.value).not.toBe(anonymous?.value); // regenerated at login
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
      expect(cookie?.expires).toBe(-1); // a browser-session cookie
      expect(await page.evaluate(() => document.cookie)).not.toContain(COOKIE);
      expect(await page.textContent("#visits")).toBe("3"); // data kept across the new ID (logIn visited / once more)

      await page.reload(); // the flash was read once
      expect(await page.locator(".notice").count()).toBe(0);
      await context.close();
    });

    it("remember me gives a persistent cookie", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, base(), "bob", true);
      const cookie = await sessionCookie(context);
      const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThanOrEqual(14);
      expect(await page.textContent("#user")).toBe("bob");
      await context.close();
    });

    it("logout ends the session, and the old cookie replayed is refused", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, base(), "cy", false);
      const old = (await sessionCookie(context)) as Cookie;

      await Promise.all([page.waitForURL(`${base()}/`), page.getByRole("button", { name: "Log out", exact: true }).click()]);
      expect(await page.textContent(".notice")).toBe("Signed out.");
      const response = await page.goto(`${base()}/profile`);
      expect(response?.status()).toBe(401);
      expect(await page.locator("#signed-out").count()).toBe(1);

      await context.clearCookies();
      await context.addCookies([old]);
      const replay = await page.goto(`${base()}/profile`);
      expect(replay?.status()).toBe(401);
      expect(await page.locator("#user").count()).toBe(0);
      // A valid token whose record is gone is left alone (it may be older than what another tab
      // received meanwhile); it logs nobody in, and every request with it gets a fresh session.
      expect((await sessionCookie(context))?.value).toBe(old.value);
      await context.close();
    });

    it("log out my other sessions", async () => {
      const [mine, other] = [await browser.newContext(), await browser.newContext()];
      const [page, otherPage] = [await mine.newPage(), await other.newPage()];
      await logIn(otherPage, base(), "dee", false);
      await logIn(page, base(), "dee", true);
      expect(await page.locator("table tr").count()).toBe(3); // header + two sessions

      await Promise.all([page.waitForURL(`${base()}/profile`), page.getByRole("button", { name: "Log out my other sessions" }).click()]);
      expect(await page.textContent(".notice")).toBe("Signed out 1 other session.");
      expect(await page.textContent("#user")).toBe("dee");
      const after = await otherPage.goto(`${base()}/profile`);
      expect(after?.status()).toBe(401);
      await Promise.all([mine.close(), other.close()]);
    });
  });
}

describe("the demo with REDIS_URL: sessions in a real redis-server", () => {
  let redis: RedisServer;
  let redisDemo: RunningDemo;
  beforeAll(async () => {
    redis = await startRedisServer();
    redisDemo = await startDemo({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await redisDemo?.stop();
    await redis?.stop();
  });

  for (const framework of ["Express", "Koa", "Hono"] as const) {
    it(`${framework}: login stores the session in Redis; logout removes it and the old cookie is refused`, async () => {
      const base = redisDemo.urls[framework];
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, base, `redis-${framework.toLowerCase()}`, true);
      expect(await page.textContent("#user")).toBe(`redis-${framework.toLowerCase()}`);
      const old = (await sessionCookie(context)) as Cookie;
      const id = old.value.split(".")[1] as string;
      const keys = async () => (await redis.command("KEYS", `tessera-demo:*${id}*`)) as string[];
      expect(await keys()).not.toEqual([]);

      await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Log out", exact: true }).click()]);
      expect(await keys()).toEqual([]);
      await context.clearCookies();
      await context.addCookies([old]);
      expect((await page.goto(`${base}/profile`))?.status()).toBe(401);
      await context.close();
    });
  }
});
