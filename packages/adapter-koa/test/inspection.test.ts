/** `ctx.session` of Koa 3 shows the session only (see testInspection in @tessera/adapter-test-suite). */
import { type InspectionAppOptions, serveNode, testInspection } from "@tessera/adapter-test-suite";
import Koa from "koa";
import { session } from "../src/index.js";

function inspectionApp(options: InspectionAppOptions) {
  const app = new Koa();
  const withSession = app.use(session({ key: "tessera.sid", maxAge: "session", secrets: options.secrets, store: options.store }));
  withSession.use(async (ctx) => {
    if (`${ctx.method} ${ctx.path}` === "POST /set") {
      for (const [key, value] of Object.entries(JSON.parse(String(ctx.query.data)) as object)) ctx.session[key] = value;
    } else if (`${ctx.method} ${ctx.path}` === "GET /inspect") {
      void ctx.session.cart;
      ctx.session.visits = 2;
      ctx.session.owner = "ann";
      options.reveal(ctx.session);
    } else {
      ctx.status = 404;
      ctx.body = { error: "not found" };
      return;
    }
    ctx.body = { id: ctx.session.id, isNew: ctx.session.isNew, data: ctx.session.toJSON() };
  });
  return app.callback();
}

testInspection("koa 3 (ctx.session)", { start: async (options) => serveNode(inspectionApp(options)) });
