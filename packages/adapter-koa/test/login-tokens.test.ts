/**
 * Persistent login tokens through the Koa adapter, over real HTTP: the shared scenarios of
 * `testLoginTokens` with `ctx.session.issueLoginToken()` and `ctx.session.restoredFromLoginToken`
 * (koa-session's view passes the core members through), and the refusal without a store (Koa's
 * cookie-only sessions are sealed cookies, with no server record to detect theft with).
 */
import { type LoginTokenAppOptions, serveNode, testLoginTokens } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import Koa from "koa";
import { describe, expect, it } from "vitest";
import { session } from "../src/index.js";

const SECRET = "koa-login-tokens-secret-0123456789abcdefghij";

function loginTokenApp(options: LoginTokenAppOptions) {
  const app = new Koa();
  // maxAge "session": a browser-session cookie, so a browser restart drops it.
  app.use(
    session(
      {
        secrets: [SECRET],
        key: "tessera.sid",
        maxAge: "session",
        store: memoryStore({ now: options.now }),
        now: options.now,
        loginTokens: {},
      },
      app,
    ),
  );
  app.use(async (ctx) => {
    if (ctx.method === "POST" && ctx.path === "/login") {
      await ctx.session.regenerate();
      ctx.session.owner = String(ctx.query.user);
      ctx.session.issueLoginToken();
      ctx.body = { ok: true };
    } else if (ctx.method === "GET" && ctx.path === "/me") {
      ctx.body = { owner: ctx.session.owner ?? null, restored: ctx.session.restoredFromLoginToken };
    } else if (ctx.method === "POST" && ctx.path === "/logout") {
      await ctx.session.destroy();
      ctx.body = { ok: true };
    }
  });
  return app;
}

testLoginTokens("koa", { start: (options) => serveNode(loginTokenApp(options).callback()) });

describe("login tokens: koa options", () => {
  it("without a store (sealed cookies) loginTokens fails at startup with INVALID_CONFIG", () => {
    const app = new Koa();
    expect(() => session({ secrets: [SECRET], loginTokens: {} }, app)).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(/server-side store/) }),
    );
  });
});
