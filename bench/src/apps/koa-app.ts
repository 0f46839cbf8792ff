/** Koa 3 servers: bare, koa-session (its default cookie store) and Tessera. */
import type { Server } from "node:http";
import { createServer } from "node:http";
import { session as tesseraSession } from "@tessera/adapter-koa";
import Koa, { type Context, type Middleware } from "koa";
import koaSession from "koa-session";
import type { CaseSpec } from "../cases.js";
import { BENCH_SECRET, readBody, SEEDED_USER, type SessionAccess } from "../scenarios.js";
import type { ServerEnv } from "./server-env.js";
import { tesseraOptions } from "./tessera-options.js";

/** koa-session and Tessera's Koa adapter both expose data as properties of `ctx.session`. */
type SessionBag = Record<string, unknown>;
const bag = (ctx: Context): SessionBag => ctx.session as unknown as SessionBag;
const access: SessionAccess<Context> = {
  getCounter: (ctx) => bag(ctx).counter as number | undefined,
  setCounter: (ctx, value) => {
    bag(ctx).counter = value;
  },
  setUser: (ctx, user) => {
    bag(ctx).user = user;
  },
};

async function sessionMiddleware(app: Koa, spec: CaseSpec, env: ServerEnv): Promise<Middleware> {
  if (spec.library === "koa-session") {
    app.keys = [BENCH_SECRET];
    return koaSession({}, app) as unknown as Middleware;
  }
  if (spec.library === "tessera") return tesseraSession(await tesseraOptions(spec, env)) as unknown as Middleware;
  throw new Error(`koa: no middleware for ${spec.id}`);
}

export async function startKoa(spec: CaseSpec, env: ServerEnv): Promise<Server> {
  const app = new Koa();
  if (spec.library === "bare") {
    app.use((ctx) => {
      ctx.body = { ok: true };
    });
    return createServer(app.callback());
  }
  app.use(await sessionMiddleware(app, spec, env));
  const scenario = env.scenario;
  app.use((ctx) => {
    const path = ctx.path;
    if (path === "/seed") {
      access.setCounter(ctx, 0);
      access.setUser(ctx, SEEDED_USER);
      ctx.body = { seeded: true };
    } else if (path === "/read" || (path === "/" && scenario === "A")) {
      ctx.body = readBody(access.getCounter(ctx));
    } else if (path === "/" && scenario === "B") {
      const counter = (access.getCounter(ctx) ?? 0) + 1;
      access.setCounter(ctx, counter);
      ctx.body = { counter };
    } else if (path === "/" && scenario === "C") {
      access.setCounter(ctx, 1);
      access.setUser(ctx, SEEDED_USER);
      ctx.body = { created: true };
    } else {
      ctx.status = 404;
    }
  });
  return createServer(app.callback());
}
