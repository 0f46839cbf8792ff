/**
 * koa-session's documented behaviours, on Koa 3 and Koa 2 over real HTTP: the cookie store
 * (sealed here), `maxAge` per session, `rolling`, `renew`, `autoCommit` + `manuallyCommit()`,
 * `save()`, `ctx.sessionOptions`, `valid`/`beforeSave`, `genid`/`prefix`, `externalKey`, and
 * `ctx.session` before the middleware (mocking it in tests).
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { countingStore, type RunningApp, SECRET_A, SECRET_B, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import Koa3 from "koa";
import Koa2 from "koa2";
import { afterEach, describe, expect, it } from "vitest";
import { type KoaSession, type KoaSessionOptions, session } from "../src/index.js";
import { koaMemoryStore } from "./koa-stores.js";

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

type Handler = (ctx: Koa3.Context & { session: KoaSession; sessionOptions: Record<string, unknown> }) => unknown;

const line = (response: Response, name = "koa.sess") => response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
const pair = (response: Response) => (line(response) ?? "").split(";")[0] as string;

describe.each([
  ["Koa 3", Koa3],
  ["Koa 2", Koa2 as unknown as typeof Koa3],
])("%s", (_name, Koa) => {
  async function start(options: KoaSessionOptions, handler: Handler, configure?: (app: Koa3) => void) {
    const app = new Koa();
    app.keys = [SECRET_A];
    configure?.(app);
    app.use(session(options, app)).use(async (ctx) => {
      const result = await handler(ctx as never);
      if (ctx.body === undefined) ctx.body = result ?? "ok";
    });
    const server = await serveNode(app.callback());
    running.push(server);
    return server;
  }

  describe("without a store: the session in the cookie, sealed", () => {
    it("survives a restart and works across processes (another app with the same keys reads it); the value is not readable", async () => {
      const login = await start({}, (ctx) => {
        ctx.session.user = "ann";
      });
      const cookie = pair(await login.fetch("/"));
      const value = cookie.slice("koa.sess=".length);
      expect(value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(Buffer.from(value, "base64").toString("latin1")).not.toContain("ann");
      const otherProcess = await start({}, (ctx) => ({ user: ctx.session.user ?? null }));
      expect(await (await otherProcess.fetch("/", { headers: { cookie } })).json()).toEqual({ user: "ann" });
    });

    it("a session too large for a cookie fails with PAYLOAD_TOO_LARGE before any cookie is sent", async () => {
      const errors: unknown[] = [];
      const server = await start(
        {},
        (ctx) => {
          ctx.session.blob = "x".repeat(5000);
        },
        (app) => app.on("error", (error) => errors.push(error)),
      );
      const response = await server.fetch("/");
      expect(response.status).toBe(500);
      expect(line(response)).toBeUndefined();
      expect(errors).toEqual([expect.objectContaining({ code: "PAYLOAD_TOO_LARGE" })]);
    });

    it("koa-session's default: a persistent cookie of one day (maxAge 86400000)", async () => {
      const server = await start({}, (ctx) => {
        ctx.session.user = "ann";
        return { maxAge: ctx.session.maxAge };
      });
      const response = await server.fetch("/");
      expect(await response.json()).toEqual({ maxAge: 86_400_000 });
      expect(line(response)).toMatch(/Max-Age=86400;/);
    });
  });

  describe("ctx.session members", () => {
    it("maxAge = ms changes this session's cookie lifetime and is never stored as data; 'session' makes a browser-session cookie", async () => {
      const server = await start({ store: memoryStore() }, (ctx) => {
        if (ctx.path === "/short") ctx.session.maxAge = 3_600_000;
        if (ctx.path === "/browser") ctx.session.maxAge = "session";
        ctx.session.user = "ann";
        return { maxAge: ctx.session.maxAge, data: ctx.session.toJSON(), keys: Object.keys(ctx.session) };
      });
      const short = await server.fetch("/short");
      expect(await short.json()).toEqual({ maxAge: 3_600_000, data: { user: "ann" }, keys: ["user"] });
      expect(line(short)).toMatch(/Max-Age=3600;/);
      const again = await server.fetch("/", { headers: { cookie: pair(short) } });
      expect((await again.json()).maxAge).toBe(3_600_000);
      const browser = await server.fetch("/browser");
      expect((await browser.json()).maxAge).toBe("session");
      expect(line(browser)).not.toMatch(/Max-Age/);
    });

    it("length, populated, inspect(), toJSON() and isNew", async () => {
      const server = await start({}, (ctx) => {
        const before = { length: ctx.session.length, populated: ctx.session.populated, isNew: ctx.session.isNew };
        ctx.session.a = 1;
        ctx.session.b = { c: 2 };
        return {
          before,
          length: ctx.session.length,
          populated: ctx.session.populated,
          inspect: ctx.session.inspect(),
          json: JSON.parse(JSON.stringify(ctx.session)),
        };
      });
      expect(await (await server.fetch("/")).json()).toEqual({
        before: { length: 0, populated: false, isNew: true },
        length: 2,
        populated: true,
        inspect: { a: 1, b: { c: 2 } },
        json: { a: 1, b: { c: 2 } },
      });
    });

    it("save() writes an unchanged session and re-sends its cookie", async () => {
      const store = countingStore(memoryStore());
      const server = await start({ store }, async (ctx) => {
        if (ctx.path === "/login") ctx.session.user = "ann";
        if (ctx.path === "/save") await ctx.session.save();
      });
      const cookie = pair(await server.fetch("/login"));
      store.calls.length = 0;
      const read = await server.fetch("/", { headers: { cookie } });
      expect([line(read), store.calls.filter((c) => c !== "get")]).toEqual([undefined, []]);
      const saved = await server.fetch("/save", { headers: { cookie } });
      expect(line(saved)).toBeDefined();
      expect(store.calls.filter((c) => c !== "get").length).toBe(1);
    });

    it("ctx.session = null ends the session: record destroyed, cookie cleared", async () => {
      const store = memoryStore();
      const server = await start({ store }, (ctx) => {
        if (ctx.path === "/login") ctx.session.user = "ann";
        if (ctx.path === "/logout") (ctx as { session: unknown }).session = null;
      });
      const cookie = pair(await server.fetch("/login"));
      expect(store.size).toBe(1);
      const logout = await server.fetch("/logout", { headers: { cookie } });
      expect(line(logout)).toMatch(/^koa\.sess=;/);
      expect(store.size).toBe(0);
    });
  });

  describe("options", () => {
    it("autoCommit: false commits nothing until ctx.session.manuallyCommit()", async () => {
      const store = memoryStore();
      const server = await start({ store, autoCommit: false }, async (ctx) => {
        ctx.session.user = "ann";
        if (ctx.path === "/commit") await ctx.session.manuallyCommit();
      });
      const lazy = await server.fetch("/");
      expect([line(lazy), store.size]).toEqual([undefined, 0]);
      const committed = await server.fetch("/commit");
      expect([line(committed) !== undefined, store.size]).toEqual([true, 1]);
    });

    it("rolling: every response re-sends the cookie and refreshes the session; without it, a read sends nothing", async () => {
      for (const rolling of [true, false]) {
        const store = countingStore(memoryStore());
        const server = await start({ store, rolling }, (ctx) => {
          if (ctx.path === "/login") ctx.session.user = "ann";
        });
        const cookie = pair(await server.fetch("/login"));
        store.calls.length = 0;
        const read = await server.fetch("/", { headers: { cookie } });
        expect(line(read) !== undefined).toBe(rolling);
        expect(store.calls.some((c) => c !== "get")).toBe(rolling);
      }
    });

    it("renew: the cookie is refreshed once less than half of maxAge is left", async () => {
      let now = 1_000_000;
      const clock = () => now;
      const store = memoryStore({ now: clock });
      const server = await start({ store, now: clock, maxAge: 10_000, renew: true }, (ctx) => {
        if (ctx.path === "/login") ctx.session.user = "ann";
      });
      const cookie = pair(await server.fetch("/login"));
      now += 4_000;
      expect(line(await server.fetch("/", { headers: { cookie } }))).toBeUndefined();
      now += 2_000;
      expect(line(await server.fetch("/", { headers: { cookie } }))).toMatch(/Max-Age=10;/);
    });

    it("ctx.sessionOptions: the options for this request; maxAge changes this session, other options are read-only", async () => {
      const server = await start({ key: "sid", httpOnly: false }, (ctx) => {
        ctx.sessionOptions.maxAge = 60_000;
        ctx.session.user = "ann";
        let refused = "";
        try {
          ctx.sessionOptions.secure = true;
        } catch (error) {
          refused = (error as { code: string }).code;
        }
        return { key: ctx.sessionOptions.key, httpOnly: ctx.sessionOptions.httpOnly, maxAge: ctx.session.maxAge, refused };
      });
      const response = await server.fetch("/");
      expect(await response.json()).toEqual({ key: "sid", httpOnly: false, maxAge: 60_000, refused: "INVALID_ARGUMENT" });
      expect(line(response, "sid")).toMatch(/Max-Age=60;/);
      expect(line(response, "sid")).not.toMatch(/HttpOnly/);
    });

    it("valid(ctx, data): a falsy answer ends the stored session and emits session:invalid", async () => {
      const store = memoryStore();
      const invalid: unknown[] = [];
      const server = await start(
        { store, valid: (ctx, data) => (ctx as { get(name: string): string }).get("x-device") === data.device },
        (ctx) => {
          if (ctx.path === "/login") ctx.session.device = ctx.get("x-device");
          return { device: ctx.session.device ?? null, isNew: ctx.session.isNew };
        },
        (app) => app.on("session:invalid", (event: { value: unknown }) => invalid.push(event.value)),
      );
      const cookie = pair(await server.fetch("/login", { headers: { "x-device": "laptop" } }));
      expect(await (await server.fetch("/", { headers: { cookie, "x-device": "laptop" } })).json()).toEqual({
        device: "laptop",
        isNew: false,
      });
      expect(await (await server.fetch("/", { headers: { cookie, "x-device": "phone" } })).json()).toEqual({ device: null, isNew: true });
      expect(invalid).toEqual([{ device: "laptop" }]);
      expect(store.size).toBe(0);
    });

    it("beforeSave(ctx, session) runs before a commit that writes, not on a read", async () => {
      const seen: string[] = [];
      const server = await start(
        {
          store: memoryStore(),
          beforeSave: (ctx, sess) => {
            (sess as { savedBy: string }).savedBy = (ctx as { path: string }).path;
            seen.push((ctx as { path: string }).path);
          },
        },
        (ctx) => {
          if (ctx.path === "/login") ctx.session.user = "ann";
          return { savedBy: ctx.session.savedBy ?? null };
        },
      );
      const cookie = pair(await server.fetch("/login"));
      expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ savedBy: "/login" });
      expect(seen).toEqual(["/login"]);
    });

    it("genid(ctx) makes the IDs, with the request's context; externalKey is the ID", async () => {
      const server = await start(
        { store: koaMemoryStore(), genid: (ctx) => `${(ctx as { get(n: string): string }).get("x-tenant")}-${"a".repeat(30)}` },
        (ctx) => {
          ctx.session.user = "ann";
          return { externalKey: ctx.session.externalKey, id: ctx.session.id };
        },
      );
      expect(await (await server.fetch("/", { headers: { "x-tenant": "acme" } })).json()).toEqual({
        externalKey: `acme-${"a".repeat(30)}`,
        id: `acme-${"a".repeat(30)}`,
      });
    });

    it("prefix: generated IDs start with it", async () => {
      const server = await start({ store: memoryStore(), prefix: "sess-" }, (ctx) => {
        ctx.session.user = "ann";
        return { id: ctx.session.id };
      });
      expect((await (await server.fetch("/")).json()).id).toMatch(/^sess-[\w-]{43}$/);
    });

    it("externalKey: the key travels through get(ctx)/set(ctx, key), never in a cookie", async () => {
      const server = await start(
        {
          store: memoryStore(),
          externalKey: {
            get: (ctx) => (ctx as Koa3.Context).get("x-session"),
            set: (ctx, key) => (ctx as Koa3.Context).set("x-session", key),
          },
        },
        (ctx) => {
          if (ctx.path === "/login") ctx.session.user = "ann";
          return { user: ctx.session.user ?? null };
        },
      );
      const login = await server.fetch("/login");
      const key = login.headers.get("x-session") as string;
      expect(key).toMatch(/\./);
      expect(login.headers.getSetCookie()).toEqual([]);
      expect(await (await server.fetch("/", { headers: { "x-session": key } })).json()).toEqual({ user: "ann" });
    });

    it("overwrite: a Set-Cookie of the session's name set earlier in the response is replaced (false keeps both)", async () => {
      for (const overwrite of [true, false]) {
        const server = await start({ overwrite }, (ctx) => {
          ctx.cookies.set("koa.sess", "stale", { signed: false });
          ctx.cookies.set("other", "1", { signed: false });
          ctx.session.user = "ann";
        });
        const lines = (await server.fetch("/")).headers.getSetCookie().map((l) => l.split("=")[0]);
        expect(lines).toEqual(overwrite ? ["other", "koa.sess"] : ["koa.sess", "other", "koa.sess"]);
      }
    });

    it("secure follows ctx.secure (app.proxy decides whether X-Forwarded-Proto counts); sameSite defaults to Lax", async () => {
      const server = await start(
        {},
        (ctx) => {
          ctx.session.user = "ann";
        },
        (app) => {
          app.proxy = true;
        },
      );
      expect(line(await server.fetch("/", { headers: { "x-forwarded-proto": "https" } }))).toMatch(/; Secure/);
      expect(line(await server.fetch("/"))).toMatch(/SameSite=Lax/);
    });
  });

  describe("ctx.session before the middleware: mocking it in tests", () => {
    it("a context built with app.createContext has ctx.session; an object assigned there is what the handler reads", async () => {
      const app = new Koa();
      app.keys = [SECRET_A];
      app.use(session({}, app));
      const handler = (ctx: { session: { user?: string } }) => `hello ${ctx.session.user ?? "stranger"}`;
      const request = new IncomingMessage(new Socket());
      const ctx = app.createContext(request, new ServerResponse(request)) as unknown as { session: KoaSession & { user?: string } };
      expect([ctx.session.isNew, ctx.session.length, handler(ctx)]).toEqual([true, 0, "hello stranger"]);
      ctx.session = { user: "ann" } as never;
      expect(handler(ctx)).toBe("hello ann");
      ctx.session.user = "bob";
      expect([handler(ctx), ctx.session.populated, ctx.session.toJSON()]).toEqual(["hello bob", true, { user: "bob" }]);
    });

    it("a test middleware placed before the session middleware mocks the session; the app sees it and it is saved", async () => {
      const server = await start(
        { store: memoryStore() },
        (ctx) => ({ user: ctx.session.user ?? null, isNew: ctx.session.isNew }),
        (app) => {
          app.use(async (ctx, next) => {
            (ctx as unknown as { session: unknown }).session = { user: "mocked" };
            await next();
          });
        },
      );
      const response = await server.fetch("/");
      expect(await response.json()).toEqual({ user: "mocked", isNew: true });
      expect(line(response)).toBeDefined();
    });
  });

  it("secrets rotation: a cookie sealed with an older secret is read and re-sealed with the current one", async () => {
    const old = await start({ secrets: [SECRET_B] }, (ctx) => {
      ctx.session.user = "ann";
    });
    const cookie = pair(await old.fetch("/"));
    const rotated = await start({ secrets: [SECRET_A, SECRET_B] }, (ctx) => ({ user: ctx.session.user ?? null }));
    const response = await rotated.fetch("/", { headers: { cookie } });
    expect(await response.json()).toEqual({ user: "ann" });
    expect(pair(response)).not.toBe(cookie);
  });
});
