/**
 * The adapters' `csrf` option over real HTTP, one list for every adapter: `testCsrf(name, driver)`
 * with a driver that builds the app below with the framework's own API and its own body parser
 * mounted after the session middleware (so the scenarios also show the handler still reads a form
 * whose CSRF field the adapter read first).
 */
import type { CsrfOptions } from "@tessera/core";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The routes the app must answer, with the session middleware's `csrf` option set to what the
 * driver is given. Errors go through the framework's error path and answer with the error's status
 * and `{ error: <name>, code: <SessionError code>, reason: <its reason> }`.
 */
export const CSRF_ROUTES = {
  "GET /token": "answers { token: session.csrfToken() }",
  "GET /tokens": "answers { tokens: [three calls of session.csrfToken()] }",
  "POST /echo":
    "reads the body with the framework's own parser (URL-encoded forms and JSON) and answers { ok: true, body: <the parsed body, or null> }",
  "POST /webhook": "answers { ok: true } (the scenarios list it in ignorePaths)",
} as const;

/** A started CSRF app. */
export interface CsrfApp {
  /** `http://127.0.0.1:<port>`: requests go over real HTTP. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the app of {@link CSRF_ROUTES} with `csrf` as the session middleware's option. */
export interface CsrfDriver {
  start(csrf: true | CsrfOptions): Promise<CsrfApp>;
}

const FORM = "application/x-www-form-urlencoded";
const EVIL = "https://evil.example";

/** A client keeping one session cookie, sending what a browser on the app's own page would send. */
class Client {
  cookie: string | null = null;
  constructor(readonly app: CsrfApp) {}

  async send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const headers: Record<string, string> = { "sec-fetch-site": "same-origin", origin: this.app.url, ...init.headers };
    if (this.cookie !== null) headers.cookie = this.cookie;
    for (const [name, value] of Object.entries(headers)) if (value === "") delete headers[name];
    const response = await fetch(`${this.app.url}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] as string;
      if (pair.startsWith("tessera.sid=")) this.cookie = pair.endsWith("=") ? null : pair;
    }
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  async token(): Promise<string> {
    const { status, body } = await this.send("/token");
    expect(status).toBe(200);
    return body.token as string;
  }
}

function refused(reason: string) {
  return { status: 403, body: { error: "SessionError", code: "CSRF_REJECTED", reason } };
}

export function testCsrf(name: string, driver: CsrfDriver): void {
  describe(`csrf option: ${name}`, () => {
    const started: CsrfApp[] = [];
    afterEach(async () => {
      await Promise.all(started.splice(0).map((app) => app.close()));
    });
    async function client(csrf: true | CsrfOptions = true): Promise<Client> {
      const app = await driver.start(csrf);
      started.push(app);
      return new Client(app);
    }

    it("a safe method passes without a token (and gets one)", async () => {
      const c = await client();
      const { status, body } = await c.send("/token", { headers: { "sec-fetch-site": "cross-site", origin: EVIL } });
      expect(status).toBe(200);
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{86}$/);
    });

    it("POST without a token is refused: 403, SessionError CSRF_REJECTED through the framework's error path", async () => {
      const c = await client();
      await c.token();
      expect(await c.send("/echo", { method: "POST", headers: { "content-type": FORM }, body: "name=ann" })).toEqual(
        refused("missing-token"),
      );
    });

    it("POST with the token in the header passes (JSON body still read by the handler)", async () => {
      const c = await client();
      const token = await c.token();
      const reply = await c.send("/echo", {
        method: "POST",
        headers: { "x-csrf-token": token, "content-type": "application/json" },
        body: JSON.stringify({ name: "ann" }),
      });
      expect(reply).toEqual({ status: 200, body: { ok: true, body: { name: "ann" } } });
    });

    it("POST with the token in the form field passes, and the handler still reads the whole form", async () => {
      const c = await client();
      const token = await c.token();
      const body = new URLSearchParams({ name: "Jörg", _csrf: token, note: "a&b=c" }).toString();
      const reply = await c.send("/echo", { method: "POST", headers: { "content-type": FORM }, body });
      expect(reply).toEqual({ status: 200, body: { ok: true, body: { name: "Jörg", _csrf: token, note: "a&b=c" } } });
    });

    it("custom headerName and fieldName are the ones read", async () => {
      const c = await client({ headerName: "X-XSRF-Token", fieldName: "authenticity_token" });
      const token = await c.token();
      expect((await c.send("/echo", { method: "POST", headers: { "x-xsrf-token": token } })).status).toBe(200);
      expect(await c.send("/echo", { method: "POST", headers: { "x-csrf-token": token } })).toEqual(refused("missing-token"));
      const form = `authenticity_token=${token}`;
      expect((await c.send("/echo", { method: "POST", headers: { "content-type": FORM }, body: form })).status).toBe(200);
    });

    it("Sec-Fetch-Site: cross-site is refused even with a valid token", async () => {
      const c = await client();
      const token = await c.token();
      const headers = { "sec-fetch-site": "cross-site", origin: EVIL, "content-type": FORM };
      expect(await c.send("/echo", { method: "POST", headers, body: `_csrf=${token}` })).toEqual(refused("cross-origin"));
    });

    it("a foreign Origin (no Sec-Fetch-Site) is refused even with a valid token", async () => {
      const c = await client();
      const token = await c.token();
      const headers = { "sec-fetch-site": "", origin: EVIL, "x-csrf-token": token };
      expect(await c.send("/echo", { method: "POST", headers })).toEqual(refused("cross-origin"));
      // The app's own origin, without Sec-Fetch-Site (an older browser), passes.
      expect((await c.send("/echo", { method: "POST", headers: { ...headers, origin: c.app.url } })).status).toBe(200);
    });

    it("a text/plain cross-site post carrying the token in its body is refused", async () => {
      const c = await client();
      const token = await c.token();
      const headers = { "sec-fetch-site": "", origin: "", "content-type": "text/plain" };
      expect(await c.send("/echo", { method: "POST", headers, body: `_csrf=${token}` })).toEqual(refused("missing-token"));
    });

    it("trustedOrigins lets that origin through (with its token)", async () => {
      const c = await client({ trustedOrigins: ["https://admin.example"] });
      const token = await c.token();
      const headers = { "sec-fetch-site": "cross-site", origin: "https://admin.example", "x-csrf-token": token };
      expect((await c.send("/echo", { method: "POST", headers })).status).toBe(200);
      expect(await c.send("/echo", { method: "POST", headers: { ...headers, origin: EVIL } })).toEqual(refused("cross-origin"));
    });

    it("ignorePaths are not checked at all", async () => {
      const c = await client({ ignorePaths: ["/webhook"] });
      const headers = { "sec-fetch-site": "cross-site", origin: EVIL };
      expect(await c.send("/webhook?source=x", { method: "POST", headers })).toEqual({ status: 200, body: { ok: true } });
      expect(await c.send("/echo", { method: "POST", headers })).toEqual(refused("cross-origin"));
    });

    it("a token from another session is refused", async () => {
      const mine = await client();
      const other = new Client(mine.app);
      await mine.token();
      const foreign = await other.token();
      expect(await mine.send("/echo", { method: "POST", headers: { "x-csrf-token": foreign } })).toEqual(refused("bad-token"));
      expect(await mine.send("/echo", { method: "POST", headers: { "x-csrf-token": "not-a-token" } })).toEqual(refused("bad-token"));
    });

    it("masked tokens differ on every call, and every one verifies", async () => {
      const c = await client();
      const { body } = await c.send("/tokens");
      const tokens = [...(body.tokens as string[]), await c.token()];
      expect(new Set(tokens).size).toBe(4);
      for (const token of tokens) expect((await c.send("/echo", { method: "POST", headers: { "x-csrf-token": token } })).status).toBe(200);
    });
  });
}
