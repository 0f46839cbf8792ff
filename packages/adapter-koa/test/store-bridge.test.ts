/**
 * koa-session stores through the bridge: the published conformance suite on a koa-session style
 * store, on a `ContextStore` and on koa-redis against a real redis-server; then through the
 * middleware, the calls koa-session's stores receive (the request's ctx, maxAge, rolling, changed)
 * and the record format koa-session reads.
 */
import { SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import type { Store } from "@tessera/core";
import { testStore } from "@tessera/store-test-suite";
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import Redis from "ioredis";
import Koa from "koa";
import koaRedis from "koa-redis";
import { afterAll, describe, expect, it } from "vitest";
import { bridgeKoaStore, type ContextStoreClass, type KoaSessionOptions, type KoaSessionStore, session } from "../src/index.js";
import { Backend, contextStoreClass, koaMemoryStore } from "./koa-stores.js";

const bridgeOptions = { maxAge: undefined, rolling: false, persistentByDefault: true, contextOf: () => undefined };
const HONEST = { patch: false, touch: true, ownerIndex: false, nativeTtl: true, atomicConditionalWrites: false };

function declaresHonestCapabilities(store: () => Store) {
  it("declares what it can do: no patch, no atomic conditional writes, no owner index; touch and native TTL", () => {
    expect(store().capabilities).toEqual(HONEST);
  });
}

testStore("koa-session store (bridged)", {
  create: () => bridgeKoaStore(koaMemoryStore(), bridgeOptions),
  createIsolated: () => bridgeKoaStore(koaMemoryStore(), bridgeOptions),
  skip: { "dispose-keeps-client": "the test store has no client to keep open" },
  expiryWaitMs: 3000,
  additionalTests: ({ store }) => declaresHonestCapabilities(store),
});

testStore("koa-session ContextStore (bridged)", {
  create: () => bridgeKoaStore(contextStoreClass() as ContextStoreClass, bridgeOptions),
  createIsolated: () => bridgeKoaStore(contextStoreClass() as ContextStoreClass, bridgeOptions),
  skip: { "dispose-keeps-client": "the test store has no client to keep open" },
  expiryWaitMs: 3000,
  additionalTests: ({ store }) => declaresHonestCapabilities(store),
});

describe("koa-redis on redis-server", () => {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const client = (keyPrefix: string) => {
    if (server === undefined) throw new Error("redis-server did not start");
    const redis = new Redis(server.url, { keyPrefix });
    clients.push(redis);
    return redis;
  };
  testStore("koa-redis (bridged)", {
    create: async () => {
      server = await startRedisServer();
      return bridgeKoaStore(koaRedis({ client: client("koa-a:") }) as unknown as KoaSessionStore, bridgeOptions);
    },
    createIsolated: () => bridgeKoaStore(koaRedis({ client: client("koa-b:") }) as unknown as KoaSessionStore, bridgeOptions),
    clientStillOpen: async () => (await (clients[0] as Redis).ping()) === "PONG",
    teardown: async () => {
      await Promise.all(clients.map((redis) => redis.quit()));
      await server?.stop();
    },
    additionalTests: ({ store }) => declaresHonestCapabilities(store),
  });
});

describe("koa-session stores through the middleware", () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  async function start(options: KoaSessionOptions) {
    const app = new Koa();
    app.use(session(options, app)).use(async (ctx) => {
      if (ctx.path === "/login") ctx.session.user = "ann";
      else if (ctx.path === "/logout") ctx.session = null;
      ctx.state.marker = ctx.path;
      ctx.body = { user: ctx.session.user ?? null };
    });
    const server = await serveNode(app.callback());
    closers.push(() => server.close());
    return server;
  }
  const cookieOf = (response: Response) =>
    (response.headers.getSetCookie().find((l) => l.startsWith("koa.sess=")) ?? "").split(";")[0] as string;

  it("the store gets the request's ctx, koa-session's maxAge and rolling, and changed: false on a touch", async () => {
    const store = koaMemoryStore();
    const server = await start({ secrets: [SECRET_A], store, maxAge: 60_000, rolling: true });
    const login = await server.fetch("/login");
    const cookie = cookieOf(login);
    expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ user: "ann" });
    const calls = store.backend.calls;
    const [firstSet, readBack, touch] = [
      calls.find((c) => c.method === "set"),
      calls.filter((c) => c.method === "get").at(-1),
      calls.filter((c) => c.method === "set").at(-1),
    ];
    expect(firstSet).toMatchObject({ changed: true, rolling: true });
    expect((firstSet?.ctx as { state?: { marker: string } } | undefined)?.state?.marker).toBe("/login");
    expect(readBack).toMatchObject({ maxAge: 60_000, rolling: true });
    expect((readBack?.ctx as { path?: string } | undefined)?.path).toBe("/");
    expect(touch).toMatchObject({ changed: false });
    expect(touch?.maxAge).toBeGreaterThan(59_000);
    expect(touch?.maxAge).toBeLessThanOrEqual(60_000);
  });

  it("records are in koa-session's format: data keys, _expire and _maxAge, Tessera's metadata under __tessera", async () => {
    const store = koaMemoryStore();
    const server = await start({ secrets: [SECRET_A], store, maxAge: 60_000 });
    await server.fetch("/login");
    const [record] = [...store.backend.entries.values()].map((entry) => JSON.parse(entry.json) as Record<string, unknown>);
    expect(record).toMatchObject({ user: "ann", _maxAge: 60_000, __tessera: { createdAt: expect.any(Number) } });
    expect((record?._expire as number) - Date.now()).toBeGreaterThan(50_000);
  });

  it("ctx.session = null destroys the record through the store's destroy", async () => {
    const store = koaMemoryStore();
    const server = await start({ secrets: [SECRET_A], store });
    const cookie = cookieOf(await server.fetch("/login"));
    expect(store.backend.entries.size).toBe(1);
    await server.fetch("/logout", { headers: { cookie } });
    expect(store.backend.entries.size).toBe(0);
    expect(store.backend.calls.some((c) => c.method === "destroy")).toBe(true);
  });

  it("ContextStore: one instance per request, built with its ctx", async () => {
    const ContextStore = contextStoreClass(new Backend());
    const server = await start({ secrets: [SECRET_A], ContextStore: ContextStore as ContextStoreClass });
    const cookie = cookieOf(await server.fetch("/login"));
    expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ user: "ann" });
    const paths = ContextStore.built.map((ctx) => (ctx as { path: string }).path);
    expect(paths).toEqual(["/login", "/"]);
    for (const call of ContextStore.backend.calls) expect(ContextStore.built).toContain(call.ctx);
  });

  it("a store failure is a 503 SessionError naming the store", async () => {
    const store = koaMemoryStore();
    store.get = async () => {
      throw new Error("connection refused");
    };
    const app = new Koa();
    const errors: unknown[] = [];
    app.on("error", (error) => errors.push(error));
    app.use(session({ secrets: [SECRET_A], store }, app)).use((ctx) => {
      ctx.body = "ok";
    });
    const server = await serveNode(app.callback());
    closers.push(() => server.close());
    const token = cookieOf(
      await (async () => {
        const other = await start({ secrets: [SECRET_A], store: koaMemoryStore() });
        return other.fetch("/login");
      })(),
    );
    const response = await server.fetch("/", { headers: { cookie: token } });
    expect(response.status).toBe(503);
    expect(errors).toEqual([expect.objectContaining({ code: "STORE_UNAVAILABLE", message: expect.stringContaining("koa-session store") })]);
  });
});
