import { countingStore, type RunningApp, SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import Koa from "koa";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { type SessionContext, session } from "../src/index.js";

type Data = { views: number; user: string; cart: string[] };

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(handler: Koa.Middleware<Koa.DefaultState, Koa.DefaultContext & SessionContext<Data>>, configure?: (app: Koa) => void) {
  const store = countingStore(memoryStore());
  const app = new Koa();
  configure?.(app);
  app.use(session<Data>({ secrets: [SECRET_A], store })).use(handler);
  const server = await serveNode(app.callback());
  running.push(server);
  return { store, server };
}

const cookieOf = (response: Response) => response.headers.getSetCookie().find((l) => l.startsWith("koa.sess="));

describe("koa adapter", () => {
  it("ctx.session: typed property access, delete, and null destroys", async () => {
    const { server, store } = await start(async (ctx) => {
      expectTypeOf(ctx.session.views).toEqualTypeOf<number | undefined>();
      if (ctx.path === "/login") {
        ctx.session.user = "ann";
        ctx.session.cart = ["tea"];
      } else if (ctx.path === "/drop-cart") {
        delete ctx.session.cart;
      } else if (ctx.path === "/logout") {
        ctx.session = null;
        ctx.session.views = 1; // after null, ctx.session is a new, empty session
      }
      ctx.body = { ...ctx.session };
    });
    const login = await server.fetch("/login");
    const cookie = (cookieOf(login) as string).split(";")[0] as string;
    expect(await (await server.fetch("/drop-cart", { headers: { cookie } })).json()).toEqual({ user: "ann" });
    const logout = await server.fetch("/logout", { headers: { cookie } });
    expect(await logout.json()).toEqual({ views: 1 });
    // One line: the new session's cookie replaces the destroyed one's.
    const lines = logout.headers.getSetCookie().map((l) => l.split(";")[0]);
    expect(lines).toEqual([expect.stringMatching(/^koa\.sess=.+/)]);
    expect(lines[0]).not.toBe(cookie);
    expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({});
    expect(store.memory.size).toBe(1); // only the new session
  });

  it("ctx.session = { ... } replaces the data; anything else is refused", async () => {
    const { server } = await start(async (ctx) => {
      ctx.session.views = 3;
      ctx.session = { user: "bob" };
      let refused = "";
      try {
        (ctx as { session: unknown }).session = 5;
      } catch (error) {
        refused = (error as { code: string }).code;
      }
      ctx.body = { data: { ...ctx.session }, refused };
    });
    expect(await (await server.fetch("/")).json()).toEqual({ data: { user: "bob" }, refused: "INVALID_ARGUMENT" });
  });

  it("a downstream error commits nothing", async () => {
    const { server, store } = await start(async (ctx) => {
      ctx.session.user = "ann";
      ctx.throw(400, "bad input");
    });
    const response = await server.fetch("/");
    expect(response.status).toBe(400);
    expect(cookieOf(response)).toBeUndefined();
    expect(store.calls).toEqual([]);
  });

  it("a store failure reaches Koa's default error handler as a 503, with none of the app's headers", async () => {
    const errors: unknown[] = [];
    const started = await start(
      async (ctx) => {
        ctx.session.user = "ann";
        ctx.cookies.set("mine", "1");
        ctx.set("x-app", "1");
        ctx.body = "ok";
      },
      (app) => app.on("error", (error) => errors.push(error)),
    );
    started.store.failing = true;
    const response = await started.server.fetch("/");
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("Service Unavailable");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get("x-app")).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ name: "SessionError", code: "STORE_UNAVAILABLE" })]);
  });

  it("secure: auto follows ctx.secure, so Koa's app.proxy decides whether X-Forwarded-Proto counts", async () => {
    for (const proxy of [false, true]) {
      const { server } = await start(
        async (ctx) => {
          ctx.session.views = 1;
          ctx.body = "ok";
        },
        (app) => {
          app.proxy = proxy;
        },
      );
      const line = cookieOf(await server.fetch("/", { headers: { "x-forwarded-proto": "https" } }));
      if (proxy) expect(line).toContain("; Secure");
      else expect(line).not.toContain("Secure");
    }
  });

  it("ctx.session is one accessor on app.context that reads each request's own session, also under concurrency", async () => {
    const middleware = session<Data>({ secrets: [SECRET_A] });
    const app = new Koa<Koa.DefaultState, SessionContext<Data>>().use(middleware).use(async (ctx) => {
      if (ctx.path === "/login") {
        ctx.session.user = String(ctx.query.name);
        ctx.body = "ok";
        return;
      }
      const before = ctx.session.user;
      await new Promise((resolve) => setTimeout(resolve, 20)); // the other request runs meanwhile
      ctx.body = { before, after: ctx.session.user, own: Object.hasOwn(ctx, "session") };
    });
    const server = await serveNode(app.callback());
    running.push(server);
    const login = async (name: string) => (cookieOf(await server.fetch(`/login?name=${name}`)) as string).split(";")[0] as string;
    const [ann, bob] = [await login("ann"), await login("bob")];
    const [forAnn, forBob] = await Promise.all([
      server.fetch("/", { headers: { cookie: ann } }).then((r) => r.json()),
      server.fetch("/", { headers: { cookie: bob } }).then((r) => r.json()),
    ]);
    expect(forAnn).toEqual({ before: "ann", after: "ann", own: false });
    expect(forBob).toEqual({ before: "bob", after: "bob", own: false });
    expect(typeof Object.getOwnPropertyDescriptor(app.context, "session")?.get).toBe("function");
  });

  it("one middleware serves two apps", async () => {
    const middleware = session<Data>({ secrets: [SECRET_A] });
    const servers = await Promise.all(
      ["one", "two"].map(async (name) => {
        const app = new Koa<Koa.DefaultState, SessionContext<Data>>().use(middleware).use(async (ctx) => {
          ctx.session.views = (ctx.session.views ?? 0) + 1;
          ctx.body = `${name} ${ctx.session.views}`;
        });
        const server = await serveNode(app.callback());
        running.push(server);
        return server;
      }),
    );
    for (const server of servers) {
      const first = await server.fetch("/");
      const cookie = (cookieOf(first) as string).split(";")[0] as string;
      expect(await (await server.fetch("/", { headers: { cookie } })).text()).toMatch(/^(one|two) 2$/);
    }
  });

  it("an app.context that already has a `session` keeps it; the middleware's requests get theirs", async () => {
    const app = new Koa();
    const foreign = { configurable: true, enumerable: true, get: () => "another library's" };
    Object.defineProperty(app.context, "session", foreign);
    app.use(async (ctx, next) => {
      const outside = (ctx as { session?: unknown }).session;
      await next();
      ctx.body = { outside, ...(ctx.body as object) };
    });
    app.use(session<Data>({ secrets: [SECRET_A] })).use(async (ctx) => {
      ctx.session.views = 1;
      ctx.body = { inside: { ...ctx.session } };
    });
    const server = await serveNode(app.callback());
    running.push(server);
    for (let i = 0; i < 2; i++) {
      expect(await (await server.fetch("/")).json()).toEqual({ outside: "another library's", inside: { views: 1 } });
    }
    expect(Object.getOwnPropertyDescriptor(app.context, "session")?.get).toBe(foreign.get);
  });

  it("ctx.session before the middleware is a session object; what is set there is applied when the middleware runs", async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      const early = ctx.session as unknown as { isNew: boolean; length: number; views?: number };
      const before = { isNew: early.isNew, length: early.length };
      early.views = 5;
      let refused = "";
      try {
        (ctx as unknown as { session: unknown }).session = "early";
      } catch (error) {
        refused = (error as { code: string }).code;
      }
      await next();
      ctx.body = { before, refused, ...(ctx.body as object) };
    });
    app.use(session<Data>({ secrets: [SECRET_A] }, app)).use(async (ctx) => {
      ctx.body = { inside: { ...ctx.session }, isNew: ctx.session.isNew };
    });
    const server = await serveNode(app.callback());
    running.push(server);
    expect(await (await server.fetch("/")).json()).toEqual({
      before: { isNew: true, length: 0 },
      refused: "INVALID_ARGUMENT",
      inside: { views: 5 },
      isNew: true,
    });
  });

  it("the middleware exposes its manager (revokeSessions)", async () => {
    const middleware = session({ secrets: [SECRET_A], store: memoryStore() });
    const app = new Koa().use(middleware).use(async (ctx) => {
      ctx.session.owner = "ann";
      ctx.body = "ok";
    });
    const server = await serveNode(app.callback());
    running.push(server);
    await server.fetch("/");
    await server.fetch("/");
    expect(await middleware.manager.revokeSessions("ann")).toBe(2);
  });
});
