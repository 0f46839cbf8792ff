/**
 * The demo's CSRF protection in a real browser (Debian's Chromium driven by playwright-core), on
 * each framework. An attacker's page, served by a second server on another port of the same host
 * (a sibling origin: same-site, so SameSite=Lax still sends the session cookie and only the CSRF
 * check stands in the way), auto-submits forms to the demo: a logout of a signed-in user and a
 * login CSRF of a signed-out one. Both are refused with 403 and change nothing. The same form built
 * on the demo's own page, carrying the page's token, works.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page, type Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, startDemo } from "./demo-process.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let browser: Browser;
let demo: RunningDemo;
let attacker: Server;
let attackerUrl: string;
/** The attacker's pages by path, set by each test before the victim visits. */
const attackerPages = new Map<string, string>();

/** A page that posts `fields` to `action` as soon as it loads, as a CSRF attack page does. */
function autoSubmittingForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join("");
  return `<!doctype html><html><body><form method="post" action="${action}">${inputs}</form><script>document.forms[0].submit()</script></body></html>`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  attacker = createServer((req, res) => {
    const html = attackerPages.get(req.url ?? "");
    res.writeHead(html === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8" }).end(html ?? "not found");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
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
  await Promise.all([browser?.close(), demo?.stop(), new Promise((resolve) => attacker?.close(resolve))]);
});

async function logIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('input[name="username"]', username);
  await Promise.all([page.waitForURL(`${base}/profile`), page.getByRole("button", { name: "Log in" }).click()]);
}

/** Opens the attacker's page and returns the response to the POST its form made. */
async function visitAttack(page: Page, path: string): Promise<Response> {
  const [posted] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.goto(`${attackerUrl}${path}`)]);
  await page.waitForLoadState();
  return posted;
}

for (const framework of ["Express", "Koa", "Hono"] as const) {
  describe(`CSRF on the demo on ${framework}, in Chromium`, () => {
    const base = () => demo.urls[framework];

    it("a cross-origin auto-submitting logout form is refused (403) and the user stays signed in; the same form on the demo's page works", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, base(), "vic");
      const path = `/logout-${framework}`;
      attackerPages.set(path, autoSubmittingForm(`${base()}/logout`, { _csrf: "forged" }));

      const posted = await visitAttack(page, path);
      expect(posted.status()).toBe(403);
      const sent = await posted.request().allHeaders();
      expect(sent.origin).toBe(attackerUrl);
      expect(sent["sec-fetch-site"]).toBe("same-site"); // a sibling origin: SameSite=Lax sends the cookie
      expect(sent.cookie).toContain("tessera.sid=");
      expect(await page.locator("#refused").count()).toBe(1);
      const profile = await page.goto(`${base()}/profile`);
      expect(profile?.status()).toBe(200);
      expect(await page.textContent("#user")).toBe("vic");

      // The same auto-submitting form, built on the demo's own page with the token it rendered: accepted.
      const [own] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.evaluate(() => {
          const token = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/logout";
          form.innerHTML = `<input type="hidden" name="_csrf" value="${token}">`;
          document.body.append(form);
          form.submit();
        }),
      ]);
      expect(own.status()).toBe(303);
      await page.waitForURL(`${base()}/`);
      expect(await page.textContent(".notice")).toBe("Signed out.");
      expect((await page.goto(`${base()}/profile`))?.status()).toBe(401);
      await context.close();
    });

    it("a cross-origin login form (login CSRF) is refused (403) and the visitor stays signed out", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base()}/`); // the visitor has a pre-login session (and its CSRF secret)
      const path = `/login-${framework}`;
      attackerPages.set(path, autoSubmittingForm(`${base()}/login`, { username: "attacker" }));

      const posted = await visitAttack(page, path);
      expect(posted.status()).toBe(403);
      expect((await posted.request().allHeaders())["sec-fetch-site"]).toBe("same-site");
      const profile = await page.goto(`${base()}/profile`);
      expect(profile?.status()).toBe(401);
      expect(await page.locator("#user").count()).toBe(0);

      // The demo's own login form carries its token and works.
      await logIn(page, base(), "vic2");
      expect(await page.textContent("#user")).toBe("vic2");
      await context.close();
    });
  });
}
