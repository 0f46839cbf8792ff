/** Express 5 servers: bare, express-session (MemoryStore, connect-redis, connect-pg-simple) and Tessera. */
import type { Server } from "node:http";
import { createServer } from "node:http";
import { session as tesseraSession } from "@tessera/adapter-express";
import express, { type Request, type RequestHandler } from "express";
import expressSession from "express-session";
import type { CaseSpec } from "../cases.js";
import { BENCH_SECRET, readBody, SEEDED_USER, type SessionAccess } from "../scenarios.js";
import { connectPostgres } from "./postgres-client.js";
import { connectRedis } from "./redis-client.js";
import { requirePostgresUrl, requireRedisUrl, type ServerEnv } from "./server-env.js";
import { tesseraOptions } from "./tessera-options.js";

/** Both express-session and Tessera's Express adapter expose data as properties of `req.session`. */
type SessionBag = Record<string, unknown>;
const access: SessionAccess<Request> = {
  getCounter: (req) => (req.session as unknown as SessionBag).counter as number | undefined,
  setCounter: (req, value) => {
    (req.session as unknown as SessionBag).counter = value;
  },
  setUser: (req, user) => {
    (req.session as unknown as SessionBag).user = user;
  },
};

async function sessionMiddleware(spec: CaseSpec, env: ServerEnv): Promise<RequestHandler> {
  if (spec.library === "express-session") {
    const options: expressSession.SessionOptions = { secret: BENCH_SECRET, resave: false, saveUninitialized: false };
    if (spec.store === "redis") {
      const { RedisStore } = await import("connect-redis");
      options.store = new RedisStore({ client: await connectRedis(requireRedisUrl(env)), prefix: "sess:" });
    }
    if (spec.store === "postgres") {
      const { default: connectPgSimple } = await import("connect-pg-simple");
      const PgStore = connectPgSimple(expressSession);
      options.store = new PgStore({ pool: await connectPostgres(requirePostgresUrl(env)), createTableIfMissing: true });
    }
    return expressSession(options);
  }
  if (spec.library === "tessera") {
    // The adapter takes express-session's option names: `secret`, not `secrets`.
    const { secrets, ...rest } = await tesseraOptions(spec, env);
    return tesseraSession({ secret: secrets, ...rest }) as unknown as RequestHandler;
  }
  throw new Error(`express: no middleware for ${spec.id}`);
}

export async function startExpress(spec: CaseSpec, env: ServerEnv): Promise<Server> {
  const app = express();
  app.set("etag", false);
  app.set("x-powered-by", false);
  if (spec.library === "bare") {
    app.get("/", (_req, res) => {
      res.json({ ok: true });
    });
    return createServer(app);
  }
  app.use(await sessionMiddleware(spec, env));
  const read: RequestHandler = (req, res) => {
    res.json(readBody(access.getCounter(req)));
  };
  app.get("/seed", (req, res) => {
    access.setCounter(req, 0);
    access.setUser(req, SEEDED_USER);
    res.json({ seeded: true });
  });
  app.get("/read", read);
  if (env.scenario === "A") app.get("/", read);
  if (env.scenario === "B") {
    app.get("/", (req, res) => {
      const counter = (access.getCounter(req) ?? 0) + 1;
      access.setCounter(req, counter);
      res.json({ counter });
    });
  }
  if (env.scenario === "C") {
    app.get("/", (req, res) => {
      access.setCounter(req, 1);
      access.setUser(req, SEEDED_USER);
      res.json({ created: true });
    });
  }
  return createServer(app);
}
