/**
 * Persistent login tokens through the Express adapter (Express 5 and 4), over real HTTP: the shared
 * scenarios of `testLoginTokens`, with `req.session.issueLoginToken()` after express-session's
 * callback-style `regenerate`, and `req.session.restoredFromLoginToken`.
 */
import { type LoginTokenAppOptions, serveNode, testLoginTokens } from "@tessera/adapter-test-suite";
import { memoryStore, type Store } from "@tessera/core";
import express5 from "express";
import express4 from "express4";
import { describe, expect, it } from "vitest";
import { type ExpressSessionStore, session } from "../src/index.js";
import { SECRET } from "./helpers.js";

function loginTokenApp(
  createApp: typeof express5,
  options: LoginTokenAppOptions,
  store: Store | ExpressSessionStore = memoryStore({ now: options.now }),
) {
  const app = createApp();
  app.use(session({ secret: SECRET, name: "tessera.sid", store, now: options.now, loginTokens: {} }));
  app.post("/login", (req, res, next) => {
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.owner = String(req.query.user);
      req.session.issueLoginToken();
      res.json({ ok: true });
    });
  });
  app.get("/me", (req, res) => {
    res.json({ owner: req.session.owner ?? null, restored: req.session.restoredFromLoginToken });
  });
  app.post("/logout", (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.json({ ok: true })));
  });
  return app;
}

testLoginTokens("express 5", { start: (options) => serveNode(loginTokenApp(express5, options)) });
testLoginTokens("express 4", { start: (options) => serveNode(loginTokenApp(express4 as unknown as typeof express5, options)) });
// An express-session store through the bridge: the series is a record in express-session's format there.
testLoginTokens("express 5 with session.MemoryStore (bridged)", {
  start: (options) => serveNode(loginTokenApp(express5, options, new session.MemoryStore())),
});

describe("login tokens: express options", () => {
  it("an unknown loginTokens option fails at startup", () => {
    expect(() => session({ secret: SECRET, loginTokens: { lifetime: 60 } as never })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(/did you mean `lifetimeSeconds`/) }),
    );
  });
});
