/**
 * Persistent login tokens through the Hono adapter on @hono/node-server, over real HTTP: the shared
 * scenarios of `testLoginTokens` with `c.get("session").issueLoginToken()` and `.restoredFromLoginToken`.
 */
import { getRequestListener } from "@hono/node-server";
import { type LoginTokenAppOptions, serveNode, testLoginTokens } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import { Hono } from "hono";
import { type SessionEnv, session } from "../src/index.js";

const SECRET = "hono-login-tokens-secret-0123456789abcdefghij";

function loginTokenApp(options: LoginTokenAppOptions) {
  const app = new Hono<SessionEnv>();
  app.use(session({ secrets: [SECRET], store: memoryStore({ now: options.now }), now: options.now, loginTokens: {} }));
  app.post("/login", (c) => {
    const s = c.get("session");
    s.regenerate();
    s.owner = c.req.query("user");
    s.issueLoginToken();
    return c.json({ ok: true });
  });
  app.get("/me", (c) => {
    const s = c.get("session");
    return c.json({ owner: s.owner ?? null, restored: s.restoredFromLoginToken });
  });
  app.post("/logout", (c) => {
    c.get("session").destroy();
    return c.json({ ok: true });
  });
  return app;
}

testLoginTokens("hono on @hono/node-server", { start: (options) => serveNode(getRequestListener(loginTokenApp(options).fetch)) });
