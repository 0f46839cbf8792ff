/** The suite's app (see ROUTES in @tessera/adapter-test-suite) on Koa 2 or 3. */
import type { RequestListener } from "node:http";
import type { SuiteAppOptions } from "@tessera/adapter-test-suite";
import type Koa from "koa";
import { session } from "../src/index.js";

type Data = Record<string, unknown>;

export function koaApp(KoaClass: typeof Koa, options: SuiteAppOptions): RequestListener {
  const app = new KoaClass();
  // Koa's usual error handler: the outermost middleware catches and answers.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status = 500, name, code } = error as { status?: number; name?: string; code?: string };
      ctx.status = status;
      ctx.body = { error: name, code };
    }
  });
  const withSession = app.use(
    session<Data>({
      key: "tessera.sid",
      maxAge: "session",
      secrets: options.secrets,
      store: options.store,
      now: options.now,
      idleTimeoutSeconds: options.idleTimeoutSeconds,
      absoluteTimeoutSeconds: options.absoluteTimeoutSeconds,
      rememberMeSeconds: options.rememberMeSeconds,
    }),
  );
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
      case "POST /regenerate":
        await ctx.session.regenerate();
        for (const [key, value] of Object.entries(query("data") as object)) ctx.session[key] = value;
        ctx.body = snapshot();
        return;
      case "POST /destroy":
        ctx.session = null;
        ctx.body = { destroyed: true };
        return;
      case "POST /remember":
        ctx.session.rememberMe(query("on") === true);
        ctx.body = snapshot();
        return;
      case "POST /flash":
        ctx.session.flash("message", query("message"));
        ctx.body = snapshot();
        return;
      case "GET /flash":
        ctx.body = { message: ctx.session.flash("message") ?? null };
        return;
      case "GET /other-cookies":
        ctx.cookies.set("a", "1");
        ctx.append("Set-Cookie", "b=2; Path=/");
        ctx.session.visited = true;
        ctx.body = snapshot();
        return;
      default:
        ctx.status = 404;
        ctx.body = { error: "not found" };
    }
  });
  return app.callback();
}
