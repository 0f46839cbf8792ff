/** The suite's app (see ROUTES in @tessera/adapter-test-suite) on Hono. */
import type { SuiteAppOptions } from "@tessera/adapter-test-suite";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { isSessionError, type SessionEnv, session } from "../src/index.js";

type Data = Record<string, unknown>;

export function honoApp(options: SuiteAppOptions): Hono<SessionEnv<Data>> {
  const app = new Hono<SessionEnv<Data>>();
  app.use(
    session<Data>({
      secrets: options.secrets,
      store: options.store,
      now: options.now,
      idleTimeoutSeconds: options.idleTimeoutSeconds,
      absoluteTimeoutSeconds: options.absoluteTimeoutSeconds,
      rememberMeSeconds: options.rememberMeSeconds,
    }),
  );
  const query = (value: string | undefined) => JSON.parse(String(value)) as unknown;
  const snapshot = (s: SessionEnv<Data>["Variables"]["session"]) => ({ id: s.id, isNew: s.isNew, data: s.toJSON() });
  app.get("/session", (c) => c.json(snapshot(c.get("session"))));
  app.post("/set", (c) => {
    const s = c.get("session");
    for (const [key, value] of Object.entries(query(c.req.query("data")) as object)) s.set(key, value);
    return c.json(snapshot(s));
  });
  app.post("/regenerate", (c) => {
    const s = c.get("session").regenerate();
    for (const [key, value] of Object.entries(query(c.req.query("data")) as object)) s.set(key, value);
    return c.json(snapshot(s));
  });
  app.post("/destroy", (c) => {
    c.get("session").destroy();
    return c.json({ destroyed: true });
  });
  app.post("/remember", (c) => c.json(snapshot(c.get("session").rememberMe(query(c.req.query("on")) === true))));
  app.post("/flash", (c) => c.json(snapshot(c.get("session").flash("message", query(c.req.query("message"))))));
  app.get("/flash", (c) => c.json({ message: c.get("session").flash("message") ?? null }));
  app.get("/other-cookies", (c) => {
    setCookie(c, "a", "1");
    c.header("Set-Cookie", "b=2; Path=/", { append: true });
    return c.json(snapshot(c.get("session").set("visited", true)));
  });
  app.onError((error, c) => {
    if (error instanceof HTTPException && isSessionError(error.cause)) {
      return c.json({ error: error.cause.name, code: error.cause.code }, error.status);
    }
    return c.json({ error: error.name }, 500);
  });
  return app;
}
