/**
 * No silent data loss: a session value that JSON would not give back (a Map here) reaches
 * `onError` as an `HTTPException(500)` whose cause is the `INVALID_ARGUMENT` SessionError, and
 * the store is left as it was.
 */
import { countingStore, SECRET_A } from "@tessera/adapter-test-suite";
import { memoryStore, type SessionError } from "@tessera/core";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { type SessionEnv, session } from "../src/index.js";

type Data = { cart: { items: unknown[] }; visits: number; since: unknown };

/** An app whose `/seed` stores a cart and whose `/` runs `handler`; `onError` keeps what it gets. */
function start(handler: (c: Context<SessionEnv<Data>>) => Response) {
  const store = countingStore(memoryStore());
  const errors: unknown[] = [];
  const hono = new Hono<SessionEnv<Data>>().use(session<Data>({ secrets: [SECRET_A], store }));
  hono.get("/seed", (c) => {
    c.get("session").set("cart", { items: ["tea"] });
    return c.json({ id: c.get("session").id });
  });
  hono.get("/", handler);
  hono.onError((error, c) => {
    errors.push(error);
    const cause = (error as HTTPException).cause as SessionError | undefined;
    return c.json({ error: cause?.name, code: cause?.code }, (error as HTTPException).status ?? 500);
  });
  return { hono, store, errors };
}

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((l) => l.startsWith("tessera.sid="))
    ?.split(";")[0];

describe("a value JSON cannot give back", () => {
  it("a new session: HTTPException(500) with the SessionError as cause, no record, no cookie", async () => {
    const { hono, store, errors } = start((c) => {
      c.get("session").set("cart", { items: [{ added: new Map([["sku", 1]]) }] });
      return c.text("ok");
    });
    const response = await hono.request("/");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "SessionError", code: "INVALID_ARGUMENT" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HTTPException);
    expect((errors[0] as HTTPException).cause).toMatchObject({ message: expect.stringContaining("cart.items[0].added is a Map") });
    expect(cookieOf(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(store.memory.size).toBe(0);
  });

  it("an existing session: 500, and the record is unchanged", async () => {
    const { hono, store, errors } = start((c) => {
      c.get("session").get("cart")?.items.push(new Map());
      c.get("session").set("visits", 2);
      return c.text("ok");
    });
    const seed = await hono.request("/seed");
    const cookie = cookieOf(seed) as string;
    const { id } = (await seed.json()) as { id: string };
    const before = await store.memory.get(id);
    store.resetCalls();

    const response = await hono.request("/", { headers: { cookie } });
    expect(response.status).toBe(500);
    expect((errors[0] as HTTPException).cause).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("cart.items[1] is a Map"),
    });
    expect(cookieOf(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(await store.memory.get(id)).toEqual(before);
  });

  it("a Date is accepted and reads back as its ISO string", async () => {
    const { hono } = start((c) => {
      if (c.req.query("set")) c.get("session").set("since", new Date("2024-01-02T03:04:05.000Z"));
      return c.json({ since: c.get("session").get("since") ?? null });
    });
    const first = await hono.request("/?set=1");
    expect(first.status).toBe(200);
    const cookie = cookieOf(first) as string;
    expect(await (await hono.request("/", { headers: { cookie } })).json()).toEqual({ since: "2024-01-02T03:04:05.000Z" });
  });
});
