/**
 * Express 4 and 5, with the session on the parent app or on a mounted sub-app (which re-prototypes
 * `req`/`res` to its own `app.request` / `app.response`), and an Express 4 sub-app inside an
 * Express 5 app: the response is held, the cookie is set and the record is stored in every case.
 */
import express, { type Express } from "express";
import express4 from "express4";
import { beforeEach, describe, expect, it } from "vitest";
import { uninstallHooks } from "../src/class-hooks.js";
import { session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie } from "./helpers.js";

type Fixture = ReturnType<typeof fixture>;
const data = (req: { session: object }) => req.session as Record<string, unknown>;

/** A write request: the body names the session, the cookie carries it, the store holds its data. */
async function expectCommitted(app: Express, store: Fixture["store"], path: string, expected: Record<string, unknown>) {
  const response = await serve(app).then((running) => running.fetch(path, { method: "POST" }));
  expect(response.status).toBe(200);
  const body = (await response.json()) as { sessionID: string; id: string };
  expect(body.sessionID).toBe(body.id);
  expect(sessionCookie(response)).toContain(`.${body.id}.`);
  expect((await store.memory.get(body.id))?.data).toEqual(expected);
}

const answer = (req: express.Request, res: express.Response) => {
  res.json({ sessionID: req.sessionID, id: req.session.id });
};

beforeEach(() => uninstallHooks());

describe.each([
  ["express 5", express],
  ["express 4", express4 as typeof express],
])("%s", (_name, createApp) => {
  it("session on the parent, route in a mounted sub-app", async () => {
    const { store } = fixture();
    const parent = createApp();
    const child = createApp();
    parent.use(session({ secret: SECRET, store }));
    child.post("/in", (req, res) => {
      data(req).from = "child";
      answer(req, res);
    });
    parent.use("/sub", child);
    await expectCommitted(parent, store, "/sub/in", { from: "child" });
  });

  it("session on the sub-app, route in the sub-app", async () => {
    const { store } = fixture();
    const parent = createApp();
    const child = createApp();
    child.use(session({ secret: SECRET, store }));
    child.post("/in", (req, res) => {
      data(req).from = "child";
      answer(req, res);
    });
    parent.use("/sub", child);
    await expectCommitted(parent, store, "/sub/in", { from: "child" });
  });

  it("session on the sub-app, the parent answers after the sub-app passes the request on", async () => {
    const { store } = fixture();
    const parent = createApp();
    const child = createApp();
    child.use(session({ secret: SECRET, store }));
    child.use((req, _res, next) => {
      data(req).from = "child";
      next();
    });
    parent.use("/sub", child);
    parent.post("/sub/in", (req, res) => {
      data(req).parent = true;
      answer(req, res);
    });
    await expectCommitted(parent, store, "/sub/in", { from: "child", parent: true });
  });

  it("a read-only request through a sub-app is not held", async () => {
    const { store } = fixture();
    const parent = createApp();
    const child = createApp();
    const ended: boolean[] = [];
    parent.use(session({ secret: SECRET, store }));
    child.get("/in", (req, res) => {
      void data(req).from;
      res.end("ok");
      ended.push(res.writableEnded);
    });
    parent.use("/sub", child);
    const running = await serve(parent);
    const response = await running.fetch("/sub/in");
    expect(await response.text()).toBe("ok");
    expect(ended).toEqual([true]);
    expect(sessionCookie(response)).toBeUndefined();
    expect(store.writes()).toEqual([]);
  });
});

describe("an Express 4 sub-app inside an Express 5 app (mounting chains the sub-app's prototypes to the parent's)", () => {
  it("session on the Express 5 parent, route in the Express 4 sub-app", async () => {
    const { store } = fixture();
    const parent = express();
    const child = (express4 as typeof express)();
    parent.use(session({ secret: SECRET, store }));
    child.post("/in", (req, res) => {
      data(req).from = "express 4";
      answer(req, res);
    });
    parent.use("/sub", child);
    await expectCommitted(parent, store, "/sub/in", { from: "express 4" });
  });

  it("session on the Express 4 sub-app, the Express 5 parent answers", async () => {
    const { store } = fixture();
    const parent = express();
    const child = (express4 as typeof express)();
    child.use(session({ secret: SECRET, store }));
    child.use((req, _res, next) => {
      data(req).from = "express 4";
      next();
    });
    parent.use("/sub", child);
    parent.post("/sub/in", answer);
    await expectCommitted(parent, store, "/sub/in", { from: "express 4" });
  });
});
