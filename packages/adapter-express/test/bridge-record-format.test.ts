/**
 * The bridge through the middleware: an express-session store given to `session({ store })`,
 * records in express-session's format, and Tessera and the real express-session taking turns on
 * one record (express-session reached with a cookie signed its way, `s:<id>.<signature>`), so a
 * rollback loses nothing. Also: store failures reach `next(err)`, and `connect`/`disconnect`.
 */
import { createHmac } from "node:crypto";
import { serveNode } from "@tessera/adapter-test-suite";
import express from "express";
import expressSession from "express-session";
import { afterEach, describe, expect, it } from "vitest";
import session, { bridgeStore, type SessionOptions, storeReady } from "../src/index.js";

/** A server started by serveNode, with its base URL. */
type RunningApp = Awaited<ReturnType<typeof serveNode>>;

const SECRET = "a secret of at least thirty-two characters";
const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** express-session's cookie value: `s:` + id + `.` + base64 HMAC-SHA256 without padding. */
function expressSessionCookie(id: string, name = "connect.sid"): string {
  const signature = createHmac("sha256", SECRET).update(id).digest("base64").replace(/=+$/, "");
  return `${name}=${encodeURIComponent(`s:${id}.${signature}`)}`;
}

function cookiePair(response: Response): string | undefined {
  return response.headers.getSetCookie()[0]?.split(";")[0];
}

/** An app counting views, with `owner` set on the first request. */
function countingApp(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.use(middleware);
  app.get("/", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.views = ((s.views as number | undefined) ?? 0) + 1;
    res.send(String(s.views));
  });
  app.get("/login", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.owner = "user-7";
    s.views = 1;
    res.send("1");
  });
  return app;
}

async function serve(app: express.Express): Promise<RunningApp> {
  const served = await serveNode(app);
  running.push(served);
  return served;
}

const tessera = (options: Partial<SessionOptions>) =>
  session({ secret: SECRET, ...options } as SessionOptions) as unknown as express.RequestHandler;

describe("an express-session store given to session({ store })", () => {
  it("is accepted and serves sessions across requests, in express-session's record format", async () => {
    const store = new expressSession.MemoryStore();
    const served = await serve(countingApp(tessera({ store, cookie: { maxAge: 60_000, sameSite: "strict", path: "/" } })));
    const first = await fetch(served.url);
    expect(await first.text()).toBe("1");
    const cookie = cookiePair(first) ?? "";
    expect(await (await fetch(served.url, { headers: { cookie } })).text()).toBe("2");

    const ids = Object.keys((store as unknown as { sessions: Record<string, string> }).sessions);
    expect(ids).toHaveLength(1);
    const stored = JSON.parse((store as unknown as { sessions: Record<string, string> }).sessions[ids[0] ?? ""] ?? "{}");
    expect(stored).toMatchObject({
      cookie: { path: "/", httpOnly: true, sameSite: "strict", originalMaxAge: 60_000 },
      views: 2,
      __tessera: { createdAt: expect.any(Number), lastSeenAt: expect.any(Number) },
    });
    // The store's TTL follows the idle window: expires is lastSeenAt + maxAge.
    expect(Date.parse(stored.cookie.expires)).toBe(stored.__tessera.lastSeenAt + 60_000);
  });

  it("works with session.MemoryStore and with a store extending session.Store", async () => {
    const served = await serve(countingApp(tessera({ store: new session.MemoryStore() })));
    const first = await fetch(served.url);
    const cookie = cookiePair(first) ?? "";
    expect(await (await fetch(served.url, { headers: { cookie } })).text()).toBe("2");
  });
});

describe("Tessera and express-session taking turns on one record (a rollback loses nothing)", () => {
  it("Tessera's metadata survives a save by express-session, and each sees the other's changes", async () => {
    const store = new expressSession.MemoryStore();
    const bridge = bridgeStore(store);
    const tesseraApp = await serve(countingApp(tessera({ store, cookie: { maxAge: 600_000 } })));
    const legacyApp = await serve(
      countingApp(expressSession({ secret: SECRET, store, resave: false, saveUninitialized: false }) as express.RequestHandler),
    );

    const login = await fetch(`${tesseraApp.url}/login`);
    const tesseraCookie = cookiePair(login) ?? "";
    const [id] = Object.keys((store as unknown as { sessions: Record<string, string> }).sessions);
    if (id === undefined) throw new Error("Tessera stored nothing");
    const before = await bridge.get(id);
    expect(before).toMatchObject({ owner: "user-7", data: { views: 1 } });

    // express-session serves the same session (its cookie format), changes it and saves it.
    const legacy = await fetch(legacyApp.url, { headers: { cookie: expressSessionCookie(id) } });
    expect(await legacy.text()).toBe("2");
    const after = await bridge.get(id);
    expect(after?.data).toEqual({ views: 2 });
    expect(after?.owner).toBe("user-7");
    expect(after?.createdAt).toBe(before?.createdAt);
    expect(after?.lastSeenAt).toBeGreaterThanOrEqual(before?.lastSeenAt ?? Number.POSITIVE_INFINITY);

    // Back on Tessera: the change made by express-session is there.
    const back = await fetch(tesseraApp.url, { headers: { cookie: tesseraCookie } });
    expect(await back.text()).toBe("3");
    expect((await bridge.get(id))?.owner).toBe("user-7");
  });

  it("a record express-session wrote loads with its activity taken from the cookie", async () => {
    const store = new expressSession.MemoryStore();
    const legacyApp = await serve(
      countingApp(
        expressSession({
          secret: SECRET,
          store,
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: 60_000 },
        }) as express.RequestHandler,
      ),
    );
    const before = Date.now();
    await fetch(legacyApp.url);
    const after = Date.now();
    const [id] = Object.keys((store as unknown as { sessions: Record<string, string> }).sessions);
    const record = await bridgeStore(store).get(id ?? "");
    expect(record?.data).toEqual({ views: 1 });
    expect(record?.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(record?.lastSeenAt).toBeLessThanOrEqual(after);
    expect(record?.createdAt).toBe(record?.lastSeenAt);
    // express-session stores originalMaxAge as `expires - Date.now()` when it sets expires: 60000,
    // or 59999 when the clock ticked in between.
    const windowMs = (record?.expiresAt ?? 0) - (record?.lastSeenAt ?? 0);
    expect(windowMs).toBeGreaterThanOrEqual(59_990);
    expect(windowMs).toBeLessThanOrEqual(60_000);
  });

  it("data keys named like express-session's reserved keys (cookie, __tessera) round-trip inside the metadata", async () => {
    const bridge = bridgeStore(new session.MemoryStore());
    const now = Date.now();
    const record = { data: { cookie: "crumbs", __tessera: 1, a: 2 }, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000 };
    expect(await bridge.create("reserved-keys-id", record)).toBe(true);
    expect(await bridge.get("reserved-keys-id")).toEqual(record);
  });

  it("session-file-store's own __lastAccess key is not session data", async () => {
    const store = new session.MemoryStore();
    await new Promise((resolve) =>
      store.set("file-like", { cookie: { originalMaxAge: null, expires: null }, __lastAccess: 123, a: 1 } as never, resolve),
    );
    expect((await bridgeStore(store).get("file-like"))?.data).toEqual({ a: 1 });
  });
});

describe("store failures and connection events", () => {
  it("a store error reaches next(err) as a 503, as express-session hands it to next", async () => {
    const broken = new session.MemoryStore();
    broken.get = (_sid, callback) => callback(new Error("connection refused"));
    broken.set = (_sid, _session, callback) => callback?.(new Error("connection refused"));
    const app = countingApp(tessera({ store: broken }));
    const errors: unknown[] = [];
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status((error as { status?: number }).status ?? 500).send("down");
    });
    const served = await serve(app);
    const response = await fetch(served.url);
    expect(response.status).toBe(503);
    expect(errors[0]).toMatchObject({ code: "STORE_UNAVAILABLE", cause: { message: "connection refused" } });
  });

  it("the bridge follows the store's disconnect and connect events (ready, storeReady)", () => {
    const store = new session.MemoryStore();
    const bridge = bridgeStore(store);
    expect(bridge.ready).toBe(true);
    expect(storeReady(bridge)).toBe(true);
    store.emit("disconnect");
    expect(bridge.ready).toBe(false);
    expect(storeReady(bridge)).toBe(false);
    store.emit("connect");
    expect(storeReady(bridge)).toBe(true);
    expect(storeReady(undefined)).toBe(true);
  });
});

describe("a disconnected store serves requests without a session, as express-session does", () => {
  // Needs the middleware to check `settings.bridge?.ready` before loading (middleware.ts, owned by
  // another engineer; the two lines are in the report). Until then this stays visibly skipped.
  it("req.session is undefined and next() is called while the store is disconnected", async () => {
    const store = new session.MemoryStore();
    const app = express();
    app.use(tessera({ store }));
    app.get("/", (req, res) => {
      res.send(req.session === undefined ? "no session" : "session");
    });
    const served = await serve(app);
    store.emit("disconnect");
    expect(await (await fetch(served.url)).text()).toBe("no session");
    store.emit("connect");
    expect(await (await fetch(served.url)).text()).toBe("session");
  });
});
