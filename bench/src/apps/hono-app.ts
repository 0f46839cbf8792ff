/** Hono 4 servers on @hono/node-server: bare, hono-sessions (CookieStore, MemoryStore) and Tessera. */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { session as tesseraSession } from "@tessera/adapter-hono";
import { Hono, type MiddlewareHandler } from "hono";
import { CookieStore, sessionMiddleware as honoSessions, MemoryStore } from "hono-sessions";
import type { CaseSpec } from "../cases.js";
import { BENCH_SECRET, readBody, SEEDED_USER, type SessionAccess } from "../scenarios.js";
import type { ServerEnv } from "./server-env.js";
import { tesseraOptions } from "./tessera-options.js";

/** hono-sessions and Tessera's Hono adapter both put a session with `get`/`set` in `c.get("session")`. */
interface SessionLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}
// biome-ignore lint/suspicious/noExplicitAny: each library types the context variables its own way.
type AnyContext = any;
const session = (c: AnyContext): SessionLike => c.get("session") as SessionLike;
const access: SessionAccess<AnyContext> = {
  getCounter: (c) => session(c).get("counter") as number | undefined,
  setCounter: (c, value) => session(c).set("counter", value),
  setUser: (c, user) => session(c).set("user", user),
};

async function sessionMiddleware(spec: CaseSpec, env: ServerEnv): Promise<MiddlewareHandler> {
  if (spec.library === "hono-sessions") {
    return honoSessions({
      store: spec.store === "cookie" ? new CookieStore() : new MemoryStore(),
      encryptionKey: BENCH_SECRET,
      expireAfterSeconds: 900,
      cookieOptions: { sameSite: "Lax", path: "/", httpOnly: true },
    }) as unknown as MiddlewareHandler;
  }
  if (spec.library === "tessera") return tesseraSession(await tesseraOptions(spec, env)) as unknown as MiddlewareHandler;
  throw new Error(`hono: no middleware for ${spec.id}`);
}

export async function startHono(spec: CaseSpec, env: ServerEnv): Promise<Server> {
  const app = new Hono();
  if (spec.library === "bare") {
    app.get("/", (c) => c.json({ ok: true }));
    return createAdaptorServer({ fetch: app.fetch }) as Server;
  }
  app.use(await sessionMiddleware(spec, env));
  app.get("/seed", (c) => {
    access.setCounter(c, 0);
    access.setUser(c, SEEDED_USER);
    return c.json({ seeded: true });
  });
  app.get("/read", (c) => c.json(readBody(access.getCounter(c))));
  if (env.scenario === "A") app.get("/", (c) => c.json(readBody(access.getCounter(c))));
  if (env.scenario === "B") {
    app.get("/", (c) => {
      const counter = (access.getCounter(c) ?? 0) + 1;
      access.setCounter(c, counter);
      return c.json({ counter });
    });
  }
  if (env.scenario === "C") {
    app.get("/", (c) => {
      access.setCounter(c, 1);
      access.setUser(c, SEEDED_USER);
      return c.json({ created: true });
    });
  }
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}
