/**
 * express-session's session lifecycle options and `req.session` methods, each run on the real
 * express-session and on Tessera with the same app and store: `resave`, `rolling`,
 * `saveUninitialized`, `unset`, `req.sessionID`, `save`, `reload`, `touch`, `destroy`, and the
 * `cookie.maxAge` / `cookie.expires` setters. Where they differ, the test shows the difference the
 * deliberate-differences table lists.
 */
import { describe, expect, it } from "vitest";
import { cookieLine, cookiePair, data, IMPLEMENTATIONS, start } from "./semantics-harness.js";

const POST = { method: "POST" };
const JSON_CALLBACK = (res: { json(body: unknown): void }, next: (error: unknown) => void) => (error: unknown, body?: unknown) =>
  error ? next(error) : res.json(body ?? {});

describe.each(IMPLEMENTATIONS)("resave and rolling (%s)", (implementation) => {
  it("resave: true writes an unchanged session back and sends no cookie, even a persistent one", async () => {
    const { server, store } = await start(implementation, { resave: true, cookie: { maxAge: 60_000 } });
    const cookie = cookiePair(await server.fetch("/write", POST));
    store.calls.length = 0;
    const response = await server.fetch("/read", { headers: { cookie } });
    expect(await response.json()).toMatchObject({ n: 1 });
    expect(cookieLine(response)).toBeUndefined();
    // express-session saves with set; the bridge refreshes the record with set too (its touch is get + set).
    expect(store.writes()).toEqual(["set"]);
  });

  it("resave: false: an unchanged request does not save the record (express-session still calls the store's touch)", async () => {
    const { server, store } = await start(implementation, { resave: false, cookie: { maxAge: 60_000 } });
    const cookie = cookiePair(await server.fetch("/write", POST));
    store.calls.length = 0;
    const response = await server.fetch("/read", { headers: { cookie } });
    expect(cookieLine(response)).toBeUndefined();
    // A deliberate difference: Tessera touches once per touchAfterSeconds, not on every request.
    expect(store.writes()).toEqual(implementation === "express-session" ? ["touch"] : []);
  });

  it("rolling: true re-sends a persistent cookie on an unchanged request", async () => {
    const { server } = await start(implementation, { rolling: true, cookie: { maxAge: 60_000 } });
    const cookie = cookiePair(await server.fetch("/write", POST));
    const line = cookieLine(await server.fetch("/read", { headers: { cookie } }));
    expect(line).toBeDefined();
    expect(line?.split(";")[0]).toBe(cookie);
    expect(line).toMatch(implementation === "express-session" ? /; Expires=/ : /; Max-Age=60;/);
  });

  it("without rolling, an unchanged request re-sends no persistent cookie", async () => {
    const { server } = await start(implementation, { cookie: { maxAge: 60_000 } });
    const cookie = cookiePair(await server.fetch("/write", POST));
    expect(cookieLine(await server.fetch("/read", { headers: { cookie } }))).toBeUndefined();
  });
});

describe.each(IMPLEMENTATIONS)("saveUninitialized and unset (%s)", (implementation) => {
  it("saveUninitialized: true stores and sends a session nobody wrote to; false does neither", async () => {
    const saving = await start(implementation, { saveUninitialized: true });
    expect(cookieLine(await saving.server.fetch("/read"))).toBeDefined();
    expect(Object.keys(saving.store.records())).toHaveLength(1);
    const lazy = await start(implementation, { saveUninitialized: false });
    expect(cookieLine(await lazy.server.fetch("/read"))).toBeUndefined();
    expect(Object.keys(lazy.store.records())).toHaveLength(0);
  });

  const unsetRoute = (app: import("express").Express) =>
    app.post("/unset", (req, res) => {
      data(req).n = 2;
      (req as { session: unknown }).session = null;
      res.json({});
    });

  it('unset: "destroy" destroys the record when the app sets req.session = null', async () => {
    const { server, store } = await start(implementation, { unset: "destroy" }, unsetRoute);
    const cookie = cookiePair(await server.fetch("/write", POST));
    await server.fetch("/unset", { method: "POST", headers: { cookie } });
    expect(Object.keys(store.records())).toHaveLength(0);
  });

  it('unset: "keep" keeps the record as it was, without this request\'s changes', async () => {
    const { server, store } = await start(implementation, { unset: "keep" }, unsetRoute);
    const cookie = cookiePair(await server.fetch("/write", POST));
    await server.fetch("/unset", { method: "POST", headers: { cookie } });
    expect(Object.values(store.records()).map((record) => record.n)).toEqual([1]);
  });
});

describe.each(IMPLEMENTATIONS)("req.sessionID and the req.session methods (%s)", (implementation) => {
  it("req.sessionID is the session's ID, before any write and after regenerate", async () => {
    const { server } = await start(implementation, {}, (app) =>
      app.post("/regenerate", (req, res, next) => {
        const before = req.sessionID;
        req.session.regenerate((error) => {
          if (error) return next(error);
          res.json({ before, after: req.sessionID, id: req.session.id });
        });
      }),
    );
    const fresh = (await (await server.fetch("/read")).json()) as { id: string; sessionID: string };
    expect(fresh.sessionID).toBe(fresh.id);
    expect(typeof fresh.id).toBe("string");
    const cookie = cookiePair(await server.fetch("/write", POST));
    const moved = (await (await server.fetch("/regenerate", { method: "POST", headers: { cookie } })).json()) as Record<string, string>;
    expect(moved.after).toBe(moved.id);
    expect(moved.after).not.toBe(moved.before);
  });

  it("save(callback) has written the record when the callback runs", async () => {
    const { server, store } = await start(implementation, {}, (app) =>
      app.post("/save", (req, res, next) => {
        data(req).n = 7;
        req.session.save((error) => {
          if (error) return next(error);
          res.json({ stored: store.records()[req.session.id]?.n ?? null });
        });
      }),
    );
    expect(await (await server.fetch("/save", POST)).json()).toEqual({ stored: 7 });
  });

  it("reload(callback) drops the request's unsaved changes and reads the store again", async () => {
    const { server } = await start(implementation, {}, (app) =>
      app.post("/reload", (req, res, next) => {
        data(req).n = 99;
        req.session.reload((error: unknown) => JSON_CALLBACK(res, next)(error, { n: data(req).n }));
      }),
    );
    const cookie = cookiePair(await server.fetch("/write?n=3", POST));
    expect(await (await server.fetch("/reload", { method: "POST", headers: { cookie } })).json()).toEqual({ n: 3 });
  });

  it("touch() refreshes the stored expiry of a persistent session", async () => {
    const { server, store } = await start(implementation, { cookie: { maxAge: 60_000 } }, (app) =>
      app.get("/touch", (req, res) => {
        req.session.touch();
        res.json({});
      }),
    );
    const cookie = cookiePair(await server.fetch("/write", POST));
    const [id, record] = Object.entries(store.records())[0] as [string, { cookie: { expires: string } }];
    // Age the record by 30 s, as if it had been last used then.
    const aged = { ...record, cookie: { ...record.cookie, expires: new Date(Date.parse(record.cookie.expires) - 30_000).toISOString() } };
    (store as unknown as { sessions: Record<string, string> }).sessions[id] = JSON.stringify(aged);
    const before = Date.now();
    await server.fetch("/touch", { headers: { cookie } });
    const expires = Date.parse((store.records()[id] as { cookie: { expires: string } }).cookie.expires);
    expect(expires).toBeGreaterThanOrEqual(before + 59_000);
  });

  it("destroy(callback) removes the record; Tessera also clears the cookie and leaves an empty session (express-session: req.session undefined)", async () => {
    const { server, store } = await start(implementation, {}, (app) =>
      app.post("/logout", (req, res, next) => {
        req.session.destroy((error) => {
          if (error) return next(error);
          res.json({ session: req.session === undefined ? "undefined" : { n: data(req).n ?? null, isNew: req.session.isNew } });
        });
      }),
    );
    const cookie = cookiePair(await server.fetch("/write", POST));
    const response = await server.fetch("/logout", { method: "POST", headers: { cookie } });
    expect(Object.keys(store.records())).toHaveLength(0);
    if (implementation === "express-session") {
      expect(await response.json()).toEqual({ session: "undefined" });
      expect(cookieLine(response)).toBeUndefined();
    } else {
      expect(await response.json()).toEqual({ session: { n: null, isNew: true } });
      expect(cookieLine(response)).toMatch(/^sid=; Max-Age=0;/);
    }
  });
});

describe.each(IMPLEMENTATIONS)("req.session.cookie setters (%s)", (implementation) => {
  const setter = (assign: (cookie: Record<string, unknown>) => void) => (app: import("express").Express) =>
    app.post("/cookie", (req, res) => {
      data(req).n = 1;
      assign(req.session.cookie as unknown as Record<string, unknown>);
      res.json({ maxAge: req.session.cookie.maxAge, expires: req.session.cookie.expires });
    });

  it("cookie.maxAge = ms makes this session's cookie persistent with that lifetime", async () => {
    const { server } = await start(
      implementation,
      {},
      setter((cookie) => {
        cookie.maxAge = 60_000;
      }),
    );
    const response = await server.fetch("/cookie", POST);
    const body = (await response.json()) as { maxAge: number };
    expect(body.maxAge).toBeGreaterThan(59_000);
    expect(body.maxAge).toBeLessThanOrEqual(60_000);
    expect(cookieLine(response)).toMatch(implementation === "express-session" ? /; Expires=/ : /; Max-Age=60;/);
  });

  it("cookie.expires = <Date> does the same", async () => {
    const { server } = await start(
      implementation,
      {},
      setter((cookie) => {
        cookie.expires = new Date(Date.now() + 120_000);
      }),
    );
    const response = await server.fetch("/cookie", POST);
    const body = (await response.json()) as { maxAge: number; expires: string };
    expect(body.maxAge).toBeGreaterThan(119_000);
    expect(Math.abs(Date.parse(body.expires) - (Date.now() + 120_000))).toBeLessThan(2_000);
    expect(cookieLine(response)).toMatch(implementation === "express-session" ? /; Expires=/ : /; Max-Age=1(19|20);/);
  });

  it("cookie.expires = null (or maxAge = null) gives a browser-session cookie", async () => {
    const { server } = await start(
      implementation,
      { cookie: { maxAge: 60_000 } },
      setter((cookie) => {
        cookie.expires = null;
      }),
    );
    const response = await server.fetch("/cookie", POST);
    expect(await response.json()).toEqual({ maxAge: null, expires: null });
    expect(cookieLine(response)).not.toMatch(/Expires=|Max-Age=/);
  });

  it("a per-session attribute (cookie.domain = ...): express-session applies it, Tessera refuses it with INVALID_ARGUMENT", async () => {
    const { server } = await start(
      implementation,
      {},
      setter((cookie) => {
        cookie.domain = "example.test";
      }),
    );
    const response = await server.fetch("/cookie", POST);
    if (implementation === "express-session") {
      expect(cookieLine(response)).toContain("; Domain=example.test");
    } else {
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cookie.domain") });
    }
  });
});
