/** `c.get("session")` of Hono shows the session only (see testInspection in @tessera/adapter-test-suite). */
import { getRequestListener } from "@hono/node-server";
import { type InspectionAppOptions, serveNode, testInspection } from "@tessera/adapter-test-suite";
import { Hono } from "hono";
import { type SessionEnv, session } from "../src/index.js";

type Data = Record<string, unknown>;

function inspectionApp(options: InspectionAppOptions) {
  const app = new Hono<SessionEnv<Data>>();
  app.use(session<Data>({ secrets: options.secrets, store: options.store }));
  const snapshot = (s: SessionEnv<Data>["Variables"]["session"]) => ({ id: s.id, isNew: s.isNew, data: s.toJSON() });
  app.post("/set", (c) => {
    const s = c.get("session");
    for (const [key, value] of Object.entries(JSON.parse(String(c.req.query("data"))) as object)) s.set(key, value);
    return c.json(snapshot(s));
  });
  app.get("/inspect", (c) => {
    const s = c.get("session");
    s.get("cart");
    s.set("visits", 2).owner = "ann";
    options.reveal(s);
    return c.json(snapshot(s));
  });
  return app;
}

testInspection('hono on @hono/node-server (c.get("session"))', {
  start: async (options) => serveNode(getRequestListener(inspectionApp(options).fetch)),
});
