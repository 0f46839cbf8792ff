/**
 * No silent data loss: a session value that JSON would not give back (a Map here) fails the
 * request through `next(err)` with `INVALID_ARGUMENT`, and the store is left as it was.
 */
import express from "express";
import { describe, expect, it } from "vitest";
import { session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie } from "./helpers.js";

type Handler = (req: express.Request, res: express.Response, next: express.NextFunction) => void;
const data = (req: { session: object }) => req.session as Record<string, unknown>;

/** An app whose `/seed` stores a cart and whose `/` runs `handler`; errors answer `{ error, code }` and are kept. */
async function start(handler: Handler) {
  const { store } = fixture();
  const errors: unknown[] = [];
  const app = express();
  app.use(session({ secret: SECRET, store }));
  app.get("/seed", (req, res) => {
    data(req).cart = { items: ["tea"] };
    res.json({ id: req.session.id });
  });
  app.get("/", handler);
  app.use(((error, _req, res, _next) => {
    errors.push(error);
    res.status(error.status ?? 500).json({ error: error.name, code: error.code });
  }) as express.ErrorRequestHandler);
  return { server: await serve(app), store, errors };
}

describe("a value JSON cannot give back", () => {
  it("a new session: 500 through next(err), no record, no cookie", async () => {
    const { server, store, errors } = await start((req, res) => {
      data(req).cart = { items: [{ added: new Map([["sku", 1]]) }] };
      res.send("ok");
    });
    const response = await server.fetch("/");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "SessionError", code: "INVALID_ARGUMENT" });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining("cart.items[0].added is a Map") })]);
    expect(sessionCookie(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(store.memory.size).toBe(0);
  });

  it("an existing session: 500 and the record is unchanged", async () => {
    const { server, store, errors } = await start((req, res) => {
      (data(req).cart as { items: unknown[] }).items.push(new Map());
      data(req).visits = 2;
      res.send("ok");
    });
    const seed = await server.fetch("/seed");
    const cookie = sessionCookie(seed) as string;
    const { id } = (await seed.json()) as { id: string };
    const before = await store.memory.get(id);
    store.resetCalls();

    const response = await server.fetch("/", { headers: { cookie } });
    expect(response.status).toBe(500);
    expect(errors).toEqual([
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cart.items[1] is a Map") }),
    ]);
    expect(sessionCookie(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(await store.memory.get(id)).toEqual(before);
  });

  it("req.session.save(callback) gets the error, and nothing is stored", async () => {
    const saveErrors: unknown[] = [];
    const { server, store } = await start((req, res, next) => {
      data(req).cart = { total: Number.NaN };
      req.session.save((error) => {
        saveErrors.push(error);
        return error ? next(error) : res.send("saved");
      });
    });
    const response = await server.fetch("/");
    expect(response.status).toBe(500);
    expect(saveErrors).toEqual([
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cart.total is NaN") }),
    ]);
    expect(sessionCookie(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
    expect(store.memory.size).toBe(0);
  });

  it("a Date is accepted and reads back as its ISO string", async () => {
    const { server } = await start((req, res) => {
      if (req.query.set) data(req).since = new Date("2024-01-02T03:04:05.000Z");
      res.json({ since: data(req).since ?? null });
    });
    const first = await server.fetch("/?set=1");
    expect(first.status).toBe(200);
    const cookie = sessionCookie(first) as string;
    expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ since: "2024-01-02T03:04:05.000Z" });
  });
});
