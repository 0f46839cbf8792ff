/**
 * Issue 9's races through Express 5 over real HTTP, on the memory store and on real Redis
 * (node-redis and ioredis): a login is not undone by a slow write, a logout is not undone by a
 * concurrent regenerate({ keepData: true }). The scenarios live in @tessera/adapter-test-suite.
 */
import { COOKIE_NAME, type RaceAppOptions, serveNode, testRaces } from "@tessera/adapter-test-suite";
import { redisStore } from "@tessera/store-redis";
import { startRedisServer } from "@tessera/test-redis";
import express, { type ErrorRequestHandler } from "express";
import { session } from "../src/index.js";

/** The race app (RACE_ROUTES) as an Express app would be written, with the promise API. */
function raceApp(options: RaceAppOptions) {
  const app = express();
  app.use(session({ secret: options.secrets, name: COOKIE_NAME, store: options.store }));
  const snapshot = (req: express.Request) => ({ id: req.session.id, isNew: req.session.isNew, data: req.session.toJSON() });
  /** Untyped data access, as a JavaScript app would do it. */
  const data = (req: express.Request) => req.session as unknown as Record<string, unknown>;
  app.get("/session", (req, res) => {
    res.json(snapshot(req));
  });
  app.post("/set", (req, res) => {
    for (const [key, value] of Object.entries(JSON.parse(String(req.query.data)) as object)) data(req)[key] = value;
    res.json(snapshot(req));
  });
  app.post("/login", async (req, res) => {
    const user = JSON.parse(String(req.query.user)) as string;
    await req.session.regenerate();
    data(req).user = user;
    req.session.owner = user;
    res.json(snapshot(req));
  });
  app.post("/elevate", async (req, res) => {
    await req.session.regenerate({ keepData: true });
    res.json(snapshot(req));
  });
  app.post("/logout", async (req, res) => {
    await req.session.destroy();
    res.json({ destroyed: true });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.name, code: error.code, message: error.message });
  };
  return app.use(onError);
}

testRaces(
  "express 5",
  { start: async (options) => serveNode(raceApp(options)) },
  {
    startRedisServer,
    redisStore,
    importFromAdapter: (name) => import(name),
    packageName: "@tessera/adapter-express",
  },
);
