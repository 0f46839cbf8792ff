/**
 * Issue 9's races through Koa 3 over real HTTP, on the memory store and on real Redis: a login is
 * not undone by a slow write, a logout is not undone by a concurrent regenerate({ keepData: true }).
 * The scenarios live in @tessera/adapter-test-suite.
 */
import { type RaceAppOptions, serveNode, testRaces } from "@tessera/adapter-test-suite";
import { redisStore } from "@tessera/store-redis";
import { startRedisServer } from "@tessera/test-redis";
import Koa from "koa";
import { session } from "../src/index.js";

/** The race app (RACE_ROUTES) as a Koa app would be written. */
function raceApp(options: RaceAppOptions) {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status = 500, name, code, message } = error as { status?: number; name?: string; code?: string; message?: string };
      ctx.status = status;
      ctx.body = { error: name, code, message };
    }
  });
  const withSession = app.use(session({ key: "tessera.sid", maxAge: "session", secrets: options.secrets, store: options.store }));
  withSession.use(async (ctx) => {
    const query = (name: string) => JSON.parse(String(ctx.query[name])) as unknown;
    const snapshot = () => ({ id: ctx.session.id, isNew: ctx.session.isNew, data: ctx.session.toJSON() });
    switch (`${ctx.method} ${ctx.path}`) {
      case "GET /session":
        ctx.body = snapshot();
        return;
      case "POST /set":
        for (const [key, value] of Object.entries(query("data") as object)) ctx.session[key] = value;
        ctx.body = snapshot();
        return;
      case "POST /login": {
        const user = query("user") as string;
        await ctx.session.regenerate();
        ctx.session.user = user;
        ctx.session.owner = user;
        ctx.body = snapshot();
        return;
      }
      case "POST /elevate":
        await ctx.session.regenerate({ keepData: true });
        ctx.body = snapshot();
        return;
      case "POST /logout":
        ctx.session = null;
        ctx.body = { destroyed: true };
        return;
      default:
        ctx.status = 404;
        ctx.body = { error: "not found" };
    }
  });
  return app.callback();
}

testRaces(
  "koa 3",
  { start: async (options) => serveNode(raceApp(options)) },
  {
    startRedisServer,
    redisStore,
    importFromAdapter: (name) => import(name),
    packageName: "@tessera/adapter-koa",
  },
);
