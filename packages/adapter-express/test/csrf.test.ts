/**
 * The `csrf` option on Express 5 and 4: the shared scenarios (with `express.urlencoded()` and
 * `express.json()` mounted after the session middleware), then what is particular to Express:
 * body-parser skips a form the adapter read, a form body-parser read first is used as it is, the
 * refusal reaches the app's error handler through `next(error)`, and unknown options fail at startup.
 */
import { serveNode, testCsrf } from "@tessera/adapter-test-suite";
import type { CsrfOptions } from "@tessera/core";
import express5, { type ErrorRequestHandler } from "express";
import express4 from "express4";
import { describe, expect, it } from "vitest";
import { isSessionError, session } from "../src/index.js";

const SECRET = "csrf-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  res.status(error.status ?? 500).json({ error: error.name, code: error.code, reason: error.reason });
};

/** The app of CSRF_ROUTES; `parsersFirst` mounts the body parsers before the session middleware instead. */
function csrfApp(createApp: typeof express5, csrf: true | CsrfOptions, parsersFirst = false) {
  const app = createApp();
  const parsers = [express5.urlencoded({ extended: false }), express5.json()];
  if (parsersFirst) app.use(...parsers);
  app.use(session({ secret: SECRET, name: "tessera.sid", csrf }));
  if (!parsersFirst) app.use(...parsers);
  app.get("/token", (req, res) => {
    res.json({ token: req.session.csrfToken() });
  });
  app.get("/tokens", (req, res) => {
    res.json({ tokens: [req.session.csrfToken(), req.session.csrfToken(), req.session.csrfToken()] });
  });
  app.post("/echo", (req, res) => {
    res.json({ ok: true, body: req.body ?? null });
  });
  app.post("/webhook", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(onError);
  return app;
}

testCsrf("express 5 (express.urlencoded/json after the session middleware)", {
  start: (csrf) => serveNode(csrfApp(express5, csrf)),
});
testCsrf("express 4 (its body-parser 1.x after the session middleware)", {
  start: (csrf) => serveNode(csrfApp(express4 as unknown as typeof express5, csrf)),
});
testCsrf("express 5 (express.urlencoded/json before the session middleware)", {
  start: (csrf) => serveNode(csrfApp(express5, csrf, true)),
});

describe("csrf option: Express specifics", () => {
  async function tokenAndCookie(app: { url: string }) {
    const response = await fetch(`${app.url}/token`);
    const cookie = (response.headers.getSetCookie()[0] as string).split(";")[0] as string;
    return { cookie, token: ((await response.json()) as { token: string }).token };
  }

  it("body-parser skips the form the adapter read (it would hang or fail reading it twice), for Express 5 and 4", async () => {
    for (const createApp of [express5, express4 as unknown as typeof express5]) {
      const app = createApp();
      app.use(session({ secret: SECRET, name: "tessera.sid", csrf: true }));
      // A parser that would see an already-read stream: body-parser must not even try.
      let parserSawBody: unknown = "not called";
      app.use((req, _res, next) => {
        parserSawBody = (req as { _body?: unknown })._body;
        next();
      });
      app.use(createApp.urlencoded({ extended: true }));
      app.get("/token", (req, res) => void res.json({ token: req.session.csrfToken() }));
      app.post("/echo", (req, res) => void res.json({ body: req.body, prototype: Object.getPrototypeOf(req.body) === null }));
      app.use(onError);
      const running = await serveNode(app);
      try {
        const { cookie, token } = await tokenAndCookie(running);
        const response = await fetch(`${running.url}/echo`, {
          method: "POST",
          headers: { cookie, origin: running.url, "content-type": "application/x-www-form-urlencoded" },
          body: `_csrf=${token}&tag=a&tag=b`,
        });
        expect(response.status).toBe(200);
        // extended: true would have made `tag` from qs; the adapter's flat parse (as extended: false) is what the handler sees.
        expect(await response.json()).toEqual({ body: { _csrf: token, tag: ["a", "b"] }, prototype: true });
        expect(parserSawBody).toBe(true);
      } finally {
        await running.close();
      }
    }
  });

  it("a refusal goes through next(error): the app's error handler gets the typed SessionError with status 403", async () => {
    const app = express5();
    app.use(session({ secret: SECRET, name: "tessera.sid", csrf: true }));
    app.post("/echo", (_req, res) => void res.json({ reached: true }));
    let seen: unknown;
    app.use(((error, _req, res, _next) => {
      seen = error;
      res.status(error.status).end();
    }) as ErrorRequestHandler);
    const running = await serveNode(app);
    try {
      const response = await fetch(`${running.url}/echo`, { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
      expect(response.status).toBe(403);
      expect(isSessionError(seen) && [seen.code, seen.status, (seen as unknown as { reason: string }).reason]).toEqual([
        "CSRF_REJECTED",
        403,
        "cross-origin",
      ]);
    } finally {
      await running.close();
    }
  });

  it("Express's default error handler answers 403 too", async () => {
    const app = express5();
    app.use(session({ secret: SECRET, name: "tessera.sid", csrf: true }));
    app.post("/echo", (_req, res) => void res.json({ reached: true }));
    const running = await serveNode(app);
    try {
      expect((await fetch(`${running.url}/echo`, { method: "POST" })).status).toBe(403);
    } finally {
      await running.close();
    }
  });

  it("csrf is off by default: an unprotected POST reaches the handler", async () => {
    const app = express5();
    app.use(session({ secret: SECRET, name: "tessera.sid" }));
    app.post("/echo", (_req, res) => void res.json({ reached: true }));
    const running = await serveNode(app);
    try {
      expect((await fetch(`${running.url}/echo`, { method: "POST", headers: { "sec-fetch-site": "cross-site" } })).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it("unknown csrf option names and misspelt `csrf` fail at startup with INVALID_CONFIG", () => {
    expect(() => session({ secret: SECRET, csrf: { trustedOrigin: [] } as never })).toThrow(/did you mean `trustedOrigins`/);
    expect(() => session({ secret: SECRET, crsf: true } as never)).toThrow(/INVALID_CONFIG|unknown option `crsf`/);
    expect(() => session({ secret: SECRET, csrf: { trustedOrigins: ["https://a.example/"] } })).toThrow(
      /did you mean "https:\/\/a.example"/,
    );
  });
});
