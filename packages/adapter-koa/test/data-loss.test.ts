/**
 * No silent data loss: a session value that JSON would not give back (a Map here) is thrown from
 * the middleware with `INVALID_ARGUMENT`, and the store is left as it was.
 */
import { countingStore, type RunningApp, SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { type SessionContext, session } from "../src/index.js";

type Data = { cart: { items: unknown[] }; visits: number; since: unknown };
type Context = Koa.ParameterizedContext<Koa.DefaultState, Koa.DefaultContext & SessionContext<Data>>;

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** An app whose `/seed` stores a cart and whose other paths run `handler`; an outer try/catch answers errors and keeps them. */
async function start(handler: (ctx: Context) => void) {
  const store = countingStore(memoryStore());
  const errors: unknown[] = [];
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      errors.push(error);
      const { name, code, status } = error as { name: string; code?: string; status?: number };
      ctx.status = status ?? 500;
      ctx.body = { error: name, code };
    }
  });
  app.use(session<Data>({ key: "tessera.sid", secrets: [SECRET_A], store }));
  app.use(async (ctx: Context) => {
    if (ctx.path === "/seed") {
      ctx.session.cart = { items: ["tea"] };
      ctx.body = { id: ctx.session.id };
    } else handler(ctx);
  });
  const server = await serveNode(app.callback());
  running.push(server);
  return { server, store, errors };
}

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((l) => l.startsWith("tessera.sid="))
    ?.split(";")[0];

describe("a value JSON cannot give back", () => {
  it("a new session: thrown as INVALID_ARGUMENT (500), no record, no cookie", async () => {
    const { server, store, errors } = await start((ctx) => {
      ctx.session.cart = { items: [{ added: new Map([["sku", 1]]) }] };
      ctx.body = "ok";
    });
    const response = await server.fetch("/");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "SessionError", code: "INVALID_ARGUMENT" });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining("cart.items[0].added is a Map") })]);
    expect(cookieOf(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(store.memory.size).toBe(0);
  });

  it("an existing session: thrown, and the record is unchanged", async () => {
    const { server, store, errors } = await start((ctx) => {
      ctx.session.cart?.items.push(new Map());
      ctx.session.visits = 2;
      ctx.body = "ok";
    });
    const seed = await server.fetch("/seed");
    const cookie = cookieOf(seed) as string;
    const { id } = (await seed.json()) as { id: string };
    const before = await store.memory.get(id);
    store.resetCalls();

    const response = await server.fetch("/", { headers: { cookie } });
    expect(response.status).toBe(500);
    expect(errors).toEqual([
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cart.items[1] is a Map") }),
    ]);
    expect(cookieOf(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(await store.memory.get(id)).toEqual(before);
  });

  it("a Date is accepted and reads back as its ISO string", async () => {
    const { server } = await start((ctx) => {
      if (ctx.query.set) ctx.session.since = new Date("2024-01-02T03:04:05.000Z");
      ctx.body = { since: ctx.session.since ?? null };
    });
    const first = await server.fetch("/?set=1");
    expect(first.status).toBe(200);
    const cookie = cookieOf(first) as string;
    expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ since: "2024-01-02T03:04:05.000Z" });
  });
});
