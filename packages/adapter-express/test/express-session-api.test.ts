import express from "express";
import { describe, expect, it } from "vitest";
import { type SessionOptions, session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie, sessionLine } from "./helpers.js";

type Data = Record<string, unknown>;
const data = (req: { session: object }) => req.session as Data;

async function app(build: (app: express.Express) => void, options: Partial<SessionOptions> = {}) {
  const f = fixture();
  const instance = express();
  const middleware = session({ secret: SECRET, store: f.store, now: f.clock.now, ...options });
  instance.use(middleware);
  build(instance);
  instance.use(((error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.name, code: error.code, message: error.message });
  }) as express.ErrorRequestHandler);
  return { ...f, middleware, server: await serve(instance) };
}

describe("req.session as in express-session", () => {
  it("property assignment, delete, req.sessionID and req.session.id", async () => {
    const t = await app((a) => {
      a.post("/login", (req, res) => {
        data(req).user = "ann";
        data(req).cart = ["x"];
        res.json({ id: req.session.id, sessionID: req.sessionID });
      });
      a.post("/drop-cart", (req, res) => {
        delete data(req).cart;
        res.json({ keys: Object.keys(req.session), user: data(req).user });
      });
    });
    const login = await t.server.fetch("/login", { method: "POST" });
    const ids = (await login.json()) as { id: string; sessionID: string };
    expect(ids.sessionID).toBe(ids.id);
    const cookie = sessionCookie(login) as string;
    const drop = await t.server.fetch("/drop-cart", { method: "POST", headers: { cookie } });
    expect(await drop.json()).toEqual({ keys: ["user"], user: "ann" });
    expect((await t.store.memory.get(ids.id))?.data).toEqual({ user: "ann" });
  });

  it("req.sessionID can be assigned, as with express-session (it then keeps the assigned value)", async () => {
    const t = await app((a) => {
      a.get("/assign", (req, res) => {
        const before = req.sessionID;
        (req as { sessionID: string }).sessionID = "assigned";
        res.json({ before: before === req.session.id, after: req.sessionID });
      });
    });
    expect(await (await t.server.fetch("/assign")).json()).toEqual({ before: true, after: "assigned" });
  });

  it("headerName: an API client gets the token in that header and sends it back there", async () => {
    const t = await app(
      (a) => {
        a.post("/count", (req, res) => {
          data(req).views = ((data(req).views as number | undefined) ?? 0) + 1;
          res.json({ views: data(req).views });
        });
      },
      { headerName: "x-session" },
    );
    const first = await t.server.fetch("/count", { method: "POST" });
    const token = first.headers.get("x-session") as string;
    expect(token).toMatch(/\./);
    const second = await t.server.fetch("/count", { method: "POST", headers: { "x-session": token } });
    expect(await second.json()).toEqual({ views: 2 });
    expect(second.headers.getSetCookie()).toEqual([]); // a header client gets no cookie
  });

  it("save(callback) has written the store when the callback runs", async () => {
    const t = await app((a) => {
      a.post("/save", (req, res, next) => {
        data(req).n = 1;
        req.session.save((error) => {
          if (error) return next(error);
          res.json({ stored: t.store.memory.size });
        });
      });
    });
    expect(await (await t.server.fetch("/save", { method: "POST" })).json()).toEqual({ stored: 1 });
    expect(t.store.writes()).toEqual(["create"]);
  });

  it("regenerate(callback) starts an empty session under a new ID, as express-session's, and req.sessionID follows", async () => {
    const t = await app((a) => {
      a.post("/login", (req, res) => {
        data(req).cart = ["x"];
        res.json({ before: req.sessionID });
      });
      a.post("/elevate", (req, res, next) => {
        const before = req.sessionID;
        req.session.regenerate((error) => {
          if (error) return next(error);
          data(req).user = "ann";
          res.json({ before, after: req.sessionID, cart: data(req).cart });
        });
      });
    });
    const first = await t.server.fetch("/login", { method: "POST" });
    const second = await t.server.fetch("/elevate", { method: "POST", headers: { cookie: sessionCookie(first) as string } });
    const body = (await second.json()) as { before: string; after: string; cart: string[] };
    expect(body.after).not.toBe(body.before);
    expect(body.cart).toBeUndefined();
    expect(await t.store.memory.get(body.before)).toBeNull();
    expect((await t.store.memory.get(body.after))?.data).toEqual({ user: "ann" });
  });

  it("reload() as a promise drops unsaved changes", async () => {
    const t = await app((a) => {
      a.post("/set", (req, res) => {
        data(req).n = 1;
        res.end();
      });
      a.post("/reload", async (req, res) => {
        data(req).n = 99;
        const found = await req.session.reload();
        res.json({ found, n: data(req).n });
      });
    });
    const cookie = sessionCookie(await t.server.fetch("/set", { method: "POST" })) as string;
    expect(await (await t.server.fetch("/reload", { method: "POST", headers: { cookie } })).json()).toEqual({ found: true, n: 1 });
  });

  it("touch() writes the activity at the end of the request", async () => {
    const t = await app((a) => {
      a.post("/set", (req, res) => {
        data(req).n = 1;
        res.end();
      });
      a.get("/touch", (req, res) => {
        void req.session.touch();
        res.end();
      });
    });
    const cookie = sessionCookie(await t.server.fetch("/set", { method: "POST" })) as string;
    t.store.resetCalls();
    await t.server.fetch("/touch", { headers: { cookie } });
    expect(t.store.calls).toEqual(["get", "touch"]);
  });

  it("after destroy(), req.session still works: a flash set afterwards starts a new session", async () => {
    const t = await app((a) => {
      a.post("/login", (req, res) => {
        data(req).user = "ann";
        res.end();
      });
      a.post("/logout", async (req, res) => {
        await req.session.destroy();
        req.session.flash("notice", "signed out");
        res.end();
      });
      a.get("/", (req, res) => {
        res.json({ notice: req.session.flash("notice") ?? null, user: data(req).user ?? null });
      });
    });
    const cookie = sessionCookie(await t.server.fetch("/login", { method: "POST" })) as string;
    const logout = await t.server.fetch("/logout", { method: "POST", headers: { cookie } });
    const lines = logout.headers.getSetCookie();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^connect\.sid=;/);
    const fresh = lines[1]?.split(";")[0] as string;
    expect(fresh).toMatch(/^connect\.sid=.+/);
    expect(await (await t.server.fetch("/", { headers: { cookie: fresh } })).json()).toEqual({ notice: "signed out", user: null });
    expect(await (await t.server.fetch("/", { headers: { cookie } })).json()).toEqual({ notice: null, user: null });
  });

  it('unset "keep" (default): req.session = null ignores the request\'s changes', async () => {
    const t = await app((a) => {
      a.post("/set", (req, res) => {
        data(req).n = 1;
        res.end();
      });
      a.post("/drop", (req, res) => {
        data(req).n = 2;
        (req as { session: unknown }).session = null;
        res.end();
      });
    });
    const created = await t.server.fetch("/set", { method: "POST" });
    t.store.resetCalls();
    const dropped = await t.server.fetch("/drop", { method: "POST", headers: { cookie: sessionCookie(created) as string } });
    expect(dropped.headers.getSetCookie()).toEqual([]);
    expect(t.store.writes()).toEqual([]);
  });

  it('unset "destroy": delete req.session destroys the session and clears the cookie', async () => {
    const t = await app(
      (a) => {
        a.post("/set", (req, res) => {
          data(req).n = 1;
          res.end();
        });
        a.post("/drop", (req, res) => {
          delete (req as { session?: unknown }).session;
          res.end();
        });
      },
      { unset: "destroy" },
    );
    const created = await t.server.fetch("/set", { method: "POST" });
    const dropped = await t.server.fetch("/drop", { method: "POST", headers: { cookie: sessionCookie(created) as string } });
    expect(sessionLine(dropped)).toMatch(/^connect\.sid=;.*Max-Age=0/);
    expect(t.store.memory.size).toBe(0);
  });

  it("cookie.maxAge: null for a browser-session cookie; setting it gives Max-Age in seconds", async () => {
    const t = await app((a) => {
      a.post("/remember", (req, res) => {
        data(req).user = "ann";
        const before = req.session.cookie.maxAge;
        req.session.cookie.maxAge = 7 * 24 * 3600 * 1000;
        res.json({ before, after: req.session.cookie.maxAge, expires: req.session.cookie.expires });
      });
    });
    const response = await t.server.fetch("/remember", { method: "POST" });
    const body = (await response.json()) as { before: number | null; after: number; expires: string };
    expect(body.before).toBeNull();
    expect(body.after).toBe(7 * 24 * 3600 * 1000);
    expect(new Date(body.expires).getTime()).toBe(t.clock.now() + 7 * 24 * 3600 * 1000);
    expect(sessionLine(response)).toContain("; Max-Age=604800;");
  });

  it("the middleware exposes its manager (revokeSessions, listSessions)", async () => {
    const t = await app((a) => {
      a.post("/login", (req, res) => {
        req.session.owner = "ann";
        res.end();
      });
    });
    await t.server.fetch("/login", { method: "POST" });
    await t.server.fetch("/login", { method: "POST" });
    expect(await t.middleware.manager.listSessions("ann")).toHaveLength(2);
    expect(await t.middleware.manager.revokeSessions("ann")).toBe(2);
  });

  it("mounted twice, the second instance steps aside", async () => {
    const t = await app((a) => {
      a.use(session({ secret: SECRET }));
      a.post("/set", (req, res) => {
        data(req).n = 1;
        res.end();
      });
    });
    const response = await t.server.fetch("/set", { method: "POST" });
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(t.store.writes()).toEqual(["create"]);
  });
});
