/**
 * A rolling migration: express-session and Tessera serve alternating requests of one browser, on
 * one connect-redis store (real redis-server), with express-session's cookie (`connect.sid`,
 * `s:<id>.<signature>`). Neither may lose the session, and each sees the other's changes.
 *
 * Tessera reads and writes express-session's cookies through the core's token formats
 * (`tokenFormats` + `writeTokenFormat` with `expressSessionCookie(secret)`), and through the
 * adapter option meant for it, `cookieFormat: "express-session"`.
 */
import { serveNode } from "@tessera/adapter-test-suite";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { RedisStore } from "connect-redis";
import express from "express";
import expressSession from "express-session";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expressSessionCookie } from "../src/express-session-cookie.js";
import session, { type SessionOptions } from "../src/index.js";

/** A server started by serveNode, with its base URL. */
type RunningApp = Awaited<ReturnType<typeof serveNode>>;

const SECRET = "a secret of at least thirty-two characters";

describe("express-session and Tessera side by side on connect-redis", () => {
  let server: RedisServer | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await client?.quit();
    await server?.stop();
  });

  /** The same handler under either middleware: counts views and remembers who served each. */
  async function serveWith(middleware: express.RequestHandler, label: string): Promise<RunningApp> {
    const app = express();
    app.use(middleware);
    app.get("/", (req, res) => {
      const s = req.session as unknown as { views?: number; servedBy?: string[] };
      s.views = (s.views ?? 0) + 1;
      s.servedBy = [...(s.servedBy ?? []), label];
      res.json({ views: s.views, servedBy: s.servedBy });
    });
    const served = await serveNode(app);
    apps.push(served);
    return served;
  }

  /** express-session, then Tessera with `tesseraOptions`, serving one browser in turns on one connect-redis store. */
  async function alternate(prefix: string, tesseraOptions: Record<string, unknown>): Promise<void> {
    if (client === undefined) throw new Error("redis did not start");
    const store = new RedisStore({ client, prefix });
    const legacy = await serveWith(
      expressSession({ secret: SECRET, store, resave: false, saveUninitialized: false }) as express.RequestHandler,
      "express-session",
    );
    const options = { secret: SECRET, store, name: "connect.sid", ...tesseraOptions };
    const tessera = await serveWith(session(options as unknown as SessionOptions) as unknown as express.RequestHandler, "tessera");

    let cookie = "";
    const visit = async (app: RunningApp) => {
      const response = await fetch(app.url, cookie ? { headers: { cookie } } : {});
      expect(response.status).toBe(200);
      const line = response.headers.getSetCookie().find((l) => l.startsWith("connect.sid="));
      if (line !== undefined) {
        cookie = line.split(";")[0] ?? "";
        expect(decodeURIComponent(cookie.slice("connect.sid=".length))).toMatch(/^s:[^.]+\..+$/);
      }
      return (await response.json()) as { views: number; servedBy: string[] };
    };

    const order = [legacy, tessera, legacy, tessera, tessera, legacy];
    const labels = ["express-session", "tessera", "express-session", "tessera", "tessera", "express-session"];
    for (const [i, app] of order.entries()) {
      const body = await visit(app);
      expect(body.views).toBe(i + 1);
      expect(body.servedBy).toEqual(labels.slice(0, i + 1));
    }
    // One session in the store, whoever served last.
    expect(await client.keys(`${prefix}*`)).toHaveLength(1);
  }

  it("alternating requests of one browser keep one session (Tessera with the core's express-session token format)", async () => {
    const format = expressSessionCookie(SECRET);
    await alternate("side-by-side-formats:", { tokenFormats: [format], writeTokenFormat: format });
  });

  it('alternating requests of one browser keep one session, with cookieFormat: "express-session"', async () => {
    await alternate("side-by-side-option:", { cookieFormat: "express-session" });
  });
});
