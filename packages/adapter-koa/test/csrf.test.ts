/**
 * The `csrf` option on Koa 3 and 2: the shared scenarios with @koa/bodyparser and with
 * koa-bodyparser mounted after the session middleware (both skip the form the adapter read, as
 * they skip any `ctx.request.body` already set), then what is particular to Koa.
 */
import bodyParser from "@koa/bodyparser";
import { serveNode, testCsrf } from "@tessera/adapter-test-suite";
import type { CsrfOptions } from "@tessera/core";
import Koa3, { type Middleware } from "koa";
import koaBodyParser from "koa-bodyparser";
import Koa2 from "koa2";
import { describe, expect, it } from "vitest";
import { isSessionError, session } from "../src/index.js";

const SECRET = "csrf-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

type Parser = "@koa/bodyparser" | "koa-bodyparser" | "before the session";

function parserFor(kind: Parser): Middleware {
  return (kind === "koa-bodyparser" ? koaBodyParser() : bodyParser()) as unknown as Middleware;
}

function csrfApp(KoaClass: typeof Koa3, csrf: true | CsrfOptions, parser: Parser) {
  const app = new KoaClass();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const e = error as { status?: number; name: string; code?: string; reason?: string };
      ctx.status = e.status ?? 500;
      ctx.body = { error: e.name, code: e.code, reason: e.reason };
    }
  });
  if (parser === "before the session") app.use(parserFor("@koa/bodyparser"));
  app.use(session({ secrets: SECRET, key: "tessera.sid", store: undefined, csrf }, app) as unknown as Middleware);
  if (parser !== "before the session") app.use(parserFor(parser));
  app.use((ctx) => {
    const s = (ctx as unknown as { session: { csrfToken(): string } }).session;
    const route = `${ctx.method} ${ctx.path}`;
    if (route === "GET /token") ctx.body = { token: s.csrfToken() };
    else if (route === "GET /tokens") ctx.body = { tokens: [s.csrfToken(), s.csrfToken(), s.csrfToken()] };
    else if (route === "POST /echo") ctx.body = { ok: true, body: (ctx.request as { body?: unknown }).body ?? null };
    else if (route === "POST /webhook") ctx.body = { ok: true };
    else ctx.status = 404;
  });
  return app;
}

testCsrf("koa 3 with @koa/bodyparser after the session middleware", {
  start: (csrf) => serveNode(csrfApp(Koa3, csrf, "@koa/bodyparser").callback()),
});
testCsrf("koa 3 with koa-bodyparser after the session middleware", {
  start: (csrf) => serveNode(csrfApp(Koa3, csrf, "koa-bodyparser").callback()),
});
testCsrf("koa 2 with @koa/bodyparser before the session middleware", {
  start: (csrf) => serveNode(csrfApp(Koa2 as unknown as typeof Koa3, csrf, "before the session").callback()),
});

describe("csrf option: Koa specifics", () => {
  it("the refusal is thrown into Koa's error handling: a 403 SessionError, and Koa's default handler answers 403", async () => {
    const app = new Koa3();
    app.silent = true;
    const seen: unknown[] = [];
    app.on("error", (error) => seen.push(error));
    app.use(session({ secrets: SECRET, csrf: true }, app) as unknown as Middleware);
    app.use((ctx) => {
      ctx.body = "reached";
    });
    const running = await serveNode(app.callback());
    try {
      const response = await fetch(`${running.url}/x`, { method: "POST", headers: { "sec-fetch-site": "same-site" } });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toBe("reached");
      expect(seen).toHaveLength(1);
      const error = seen[0];
      expect(isSessionError(error) && [error.code, error.status, (error as unknown as { reason: string }).reason]).toEqual([
        "CSRF_REJECTED",
        403,
        "cross-origin",
      ]);
    } finally {
      await running.close();
    }
  });

  it("ctx.session.csrfToken() works with the default sealed-cookie store (the secret rides sealed in the cookie)", async () => {
    const app = new Koa3();
    app.use(session({ secrets: SECRET, csrf: true }, app) as unknown as Middleware);
    app.use((ctx) => {
      ctx.body =
        ctx.method === "GET" ? { token: (ctx as unknown as { session: { csrfToken(): string } }).session.csrfToken() } : { ok: true };
    });
    const running = await serveNode(app.callback());
    try {
      const first = await fetch(`${running.url}/`);
      const cookies = first.headers.getSetCookie().map((line) => line.split(";")[0]);
      const { token } = (await first.json()) as { token: string };
      expect(cookies.join(";")).not.toContain(token.slice(0, 16));
      const post = await fetch(`${running.url}/`, { method: "POST", headers: { cookie: cookies.join("; "), "x-csrf-token": token } });
      expect(post.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it("unknown csrf option names and a misspelt `csrf` fail at startup with INVALID_CONFIG", () => {
    expect(() => session({ secrets: SECRET, csrf: { fieldname: "_csrf" } as never })).toThrow(/did you mean `fieldName`/);
    expect(() => session({ secrets: SECRET, csfr: true } as never)).toThrow(/unknown option `csfr`/);
  });
});
