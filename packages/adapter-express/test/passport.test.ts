/**
 * The real passport (0.7) and passport-local on Tessera, as an express-session app uses them, on
 * the memory store and on Redis (@tessera/store-redis on a real redis-server). passport relies on
 * express-session's regenerate(): a new ID and an empty session at login (passport then keeps only
 * its own `passport.user`) and again at logout.
 */
import { serveNode } from "@tessera/adapter-test-suite";
import { memoryStore, type Store } from "@tessera/core";
import { redisStore } from "@tessera/store-redis";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import express from "express";
import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import session from "../src/index.js";

/** A server started by serveNode, with its base URL. */
type RunningApp = Awaited<ReturnType<typeof serveNode>>;

const SECRET = "a secret of at least thirty-two characters";

interface User {
  id: string;
}

/** The session's data without express-session's `cookie` member. */
function dataOf(req: express.Request): Record<string, unknown> {
  const { cookie: _cookie, ...data } = JSON.parse(JSON.stringify(req.session ?? {})) as Record<string, unknown>;
  return data;
}

function buildApp(store: Store): express.Express {
  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => done(null, username === "alice" && password === "secret" ? { id: "alice" } : false)),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser((id: string, done) => done(null, { id }));

  const app = express();
  app.use(session({ secret: SECRET, store }) as unknown as express.RequestHandler);
  app.use(passport.initialize());
  app.use(passport.session());
  const snapshot = (req: express.Request) => ({
    id: req.sessionID,
    user: req.user ?? null,
    authenticated: req.isAuthenticated(),
    data: dataOf(req),
  });
  app.get("/plant", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.planted = "before login";
    s.returnTo = "/admin";
    res.json(snapshot(req));
  });
  app.post("/login", express.urlencoded({ extended: false }), passport.authenticate("local"), (req, res) => res.json(snapshot(req)));
  app.get("/me", (req, res) => res.json(snapshot(req)));
  app.get("/mark", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.isAdmin = true;
    s.returnTo = "/admin";
    res.json(snapshot(req));
  });
  app.post("/logout", (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.json(snapshot(req))));
  });
  return app;
}

interface Snapshot {
  id: string;
  user: User | null;
  authenticated: boolean;
  data: Record<string, unknown>;
}

/** A browser: keeps the session cookie it is given. */
class Browser {
  cookie = "";
  constructor(readonly baseUrl: string) {}
  async request(path: string, init: RequestInit = {}): Promise<Snapshot> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    expect(response.status).toBe(200);
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      // A cleared cookie (empty value or expired) leaves the browser without one.
      this.cookie = /=$/.test(pair) || /max-age=0|expires=thu, 01 jan 1970/i.test(line) ? "" : pair;
    }
    return (await response.json()) as Snapshot;
  }
  login(username = "alice", password = "secret") {
    return this.request("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }).toString(),
    });
  }
}

function passportScenarios(label: string, openStore: () => Promise<Store>): void {
  describe(`passport on ${label}`, () => {
    let app: RunningApp | undefined;
    beforeAll(async () => {
      app = await serveNode(buildApp(await openStore()));
    });
    afterAll(async () => {
      await app?.close();
    });
    const browser = () => new Browser(app?.url.replace(/\/$/, "") ?? "");

    it("login regenerates the ID and keeps only what passport keeps (values planted before login are gone)", async () => {
      const b = browser();
      const before = await b.request("/plant");
      expect(before.data).toEqual({ planted: "before login", returnTo: "/admin" });
      const login = await b.login();
      expect(login.authenticated).toBe(true);
      expect(login.id).not.toBe(before.id);
      expect(login.data).toEqual({ passport: { user: "alice" } });
    });

    it("req.user is restored on the next request", async () => {
      const b = browser();
      await b.login();
      const me = await b.request("/me");
      expect(me.authenticated).toBe(true);
      expect(me.user).toEqual({ id: "alice" });
      expect(me.data).toEqual({ passport: { user: "alice" } });
    });

    it("session fixation is impossible: the cookie held before login does not carry the login", async () => {
      const victim = browser();
      await victim.request("/plant");
      const attacker = browser();
      attacker.cookie = victim.cookie; // the attacker fixed this cookie in the victim's browser
      await victim.login();
      expect(victim.cookie).not.toBe(attacker.cookie);
      const seenByAttacker = await attacker.request("/me");
      expect(seenByAttacker.authenticated).toBe(false);
      expect(seenByAttacker.user).toBeNull();
      expect(seenByAttacker.data).toEqual({});
    });

    it("logout leaves an empty session with a new ID, and the next request is anonymous", async () => {
      const b = browser();
      const login = await b.login();
      const marked = await b.request("/mark");
      expect(marked.data).toEqual({ passport: { user: "alice" }, isAdmin: true, returnTo: "/admin" });
      const loggedInCookie = b.cookie;
      const logout = await b.request("/logout", { method: "POST" });
      expect(logout.authenticated).toBe(false);
      expect(logout.data).toEqual({});
      expect(logout.id).not.toBe(login.id);
      const after = await b.request("/me");
      expect(after.authenticated).toBe(false);
      expect(after.data).toEqual({});
      // The logged-in cookie, replayed, gives nothing either.
      const replay = browser();
      replay.cookie = loggedInCookie;
      expect((await replay.request("/me")).authenticated).toBe(false);
    });

    it("a wrong password is refused and changes nothing", async () => {
      const b = browser();
      await b.request("/plant");
      const response = await fetch(`${b.baseUrl}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: b.cookie },
        body: "username=alice&password=wrong",
      });
      expect(response.status).toBe(401);
      expect((await b.request("/me")).data).toEqual({ planted: "before login", returnTo: "/admin" });
    });
  });
}

passportScenarios("the memory store", async () => memoryStore());

let redis: RedisServer | undefined;
let client: ReturnType<typeof createClient> | undefined;
afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});
passportScenarios("Redis (@tessera/store-redis on redis-server)", async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  await client.connect();
  return redisStore({ client, prefix: "passport:" });
});
