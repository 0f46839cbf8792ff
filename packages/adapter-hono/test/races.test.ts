/**
 * Issue 9's races through Hono on @hono/node-server over real HTTP, on the memory store and on
 * real Redis: a login is not undone by a slow write, a logout is not undone by a concurrent
 * regenerate({ keepData: true }). The scenarios live in @tessera/adapter-test-suite.
 */
import { getRequestListener } from "@hono/node-server";
import { type RaceAppOptions, serveNode, testRaces } from "@tessera/adapter-test-suite";
import { redisStore } from "@tessera/store-redis";
import { startRedisServer } from "@tessera/test-redis";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type SessionEnv, session } from "../src/index.js";

type Data = Record<string, unknown>;

/** The race app (RACE_ROUTES) as a Hono app would be written. */
function raceApp(options: RaceAppOptions) {
  const app = new Hono<SessionEnv<Data>>();
  app.use(session<Data>({ secrets: options.secrets, store: options.store }));
  const query = (value: string | undefined) => JSON.parse(String(value)) as unknown;
  const snapshot = (s: SessionEnv<Data>["Variables"]["session"]) => ({ id: s.id, isNew: s.isNew, data: s.toJSON() });
  app.get("/session", (c) => c.json(snapshot(c.get("session"))));
  app.post("/set", (c) => {
    const s = c.get("session");
    for (const [key, value] of Object.entries(query(c.req.query("data")) as object)) s.set(key, value);
    return c.json(snapshot(s));
  });
  app.post("/login", (c) => {
    const user = query(c.req.query("user")) as string;
    const s = c.get("session").regenerate().set("user", user);
    s.owner = user;
    return c.json(snapshot(s));
  });
  app.post("/elevate", (c) => c.json(snapshot(c.get("session").regenerate({ keepData: true }))));
  app.post("/logout", (c) => {
    c.get("session").destroy();
    return c.json({ destroyed: true });
  });
  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    return c.json({ error: error.name, message: error.message }, status);
  });
  return app;
}

testRaces(
  "hono on @hono/node-server",
  { start: async (options) => serveNode(getRequestListener(raceApp(options).fetch)) },
  {
    startRedisServer,
    redisStore,
    importFromAdapter: (name) => import(name),
    packageName: "@tessera/adapter-hono",
  },
);
