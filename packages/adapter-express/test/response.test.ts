/**
 * The response hold: the cookie is set before the headers go out, the response does not finish
 * before the store write has, and the app's own responses behave exactly as without the middleware
 * (compared side by side with the same handler on an app without it).
 */
import type { ServerResponse } from "node:http";
import { countingStore } from "@tessera/adapter-test-suite";
import { memoryStore, type Store } from "@tessera/core";
import express from "express";
import { describe, expect, it } from "vitest";
import { session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie, sessionLine } from "./helpers.js";

type Handler = (req: express.Request, res: express.Response) => void;
const data = (req: { session: object }) => req.session as Record<string, unknown>;

async function appWith(handler: Handler, store: Store, middleware = true) {
  const app = express();
  if (middleware) app.use(session({ secret: SECRET, store }));
  else {
    // Without the middleware, the handler gets a plain object that only remembers what it is given.
    app.use((req, _res, next) => {
      (req as { session: unknown }).session = { save: (callback: () => void) => setImmediate(callback) };
      next();
    });
  }
  app.all("/", handler);
  app.use(((error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.name, code: error.code });
  }) as express.ErrorRequestHandler);
  return serve(app);
}

/** What a client sees, minus the things that legitimately differ (date, the session cookie). */
async function observe(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !["date", "set-cookie"].includes(name)));
  const cookies = response.headers.getSetCookie().filter((line) => !line.startsWith("connect.sid="));
  return { status: response.status, headers, cookies, body: await response.text() };
}

/** Runs the handler with and without the middleware and expects the same response. */
async function sameAsWithout(handler: Handler, init?: { method?: string }) {
  const withSession = await appWith(handler, memoryStore());
  const without = await appWith(handler, memoryStore(), false);
  const a = await withSession.fetch("/", init);
  const b = await without.fetch("/", init);
  const seenWith = await observe(a);
  expect(seenWith).toEqual(await observe(b));
  return { response: a, seen: seenWith };
}

/** A store whose create and patch take `delayMs`. */
function slowStore(delayMs: number) {
  const inner = countingStore(memoryStore());
  const later = <T>(value: () => Promise<T>) => new Promise<T>((resolve) => setTimeout(() => resolve(value()), delayMs));
  const store: Store = {
    ...inner,
    name: "slow",
    capabilities: inner.capabilities,
    get: (id) => inner.get(id),
    create: (id, record) => later(() => inner.create(id, record)),
    patch: (id, patch) => later(() => inner.patch?.(id, patch) ?? Promise.resolve(false)),
    destroy: (id) => inner.destroy(id),
  };
  return { store, memory: inner.memory };
}

describe("the cookie goes out with the headers, after the store write", () => {
  it("the record is stored when the response arrives (slow store)", async () => {
    const { store, memory } = slowStore(50);
    const app = await appWith((req, res) => {
      data(req).n = 1;
      res.send("ok");
    }, store);
    const response = await app.fetch("/");
    expect(memory.size).toBe(1);
    expect(sessionCookie(response)).toBeDefined();
    expect(await response.text()).toBe("ok");
  });

  it("chunked writes: same body, the cookie in the headers, and a change made after the headers is stored before the end", async () => {
    const { store, memory } = slowStore(30);
    const handler: Handler = (req, res) => {
      data(req).step = 1;
      res.write("a");
      res.write("b");
      setTimeout(() => {
        // After the headers went out (and their commit finished): stored before the end, no new cookie needed.
        data(req).step = 2;
        res.end("c");
      }, 80);
    };
    const { response, seen } = await sameAsWithout(handler);
    expect(seen.body).toBe("abc");
    expect(seen.headers["transfer-encoding"]).toBe("chunked");
    expect(sessionCookie(response)).toBeDefined();
    const app = await appWith(handler, store);
    const streamed = await app.fetch("/");
    await streamed.text();
    const id = (sessionCookie(streamed) as string).split(".")[2] as string;
    expect((await memory.get(id))?.data).toEqual({ step: 2 });
  });

  it("res.end() twice: the first end wins, as without the middleware", async () => {
    const { seen } = await sameAsWithout((req, res) => {
      data(req).n = 1;
      res.end("one");
      res.end(); // a second end without data is a no-op (with data it is a write-after-end error, with or without the middleware)
    });
    expect(seen.body).toBe("one");
  });

  it("res.send() twice: the second throws inside the handler, as without the middleware", async () => {
    let thrown: unknown;
    const handler: Handler = (req, res) => {
      data(req).n = 1;
      res.send("first");
      try {
        res.send("second, longer body");
      } catch (error) {
        thrown = (error as { code?: string }).code;
      }
    };
    const { seen } = await sameAsWithout(handler);
    expect(seen.body).toBe("first");
    expect(thrown).toBe("ERR_HTTP_HEADERS_SENT");
  });

  it("a redirect keeps its status and Location and carries the cookie", async () => {
    const { response, seen } = await sameAsWithout((req, res) => {
      data(req).user = "ann";
      res.redirect("/profile");
    });
    expect(seen.status).toBe(302);
    expect(seen.headers.location).toBe("/profile");
    expect(sessionCookie(response)).toBeDefined();
  });

  it("Set-Cookie given to writeHead, and set after save(), survive next to the session cookie", async () => {
    const viaWriteHead = await sameAsWithout((req, res) => {
      data(req).n = 1;
      res.writeHead(200, { "Set-Cookie": ["mine=1; Path=/"], "Content-Type": "text/plain" });
      res.end("ok");
    });
    expect(viaWriteHead.seen.cookies).toEqual(["mine=1; Path=/"]);
    expect(sessionCookie(viaWriteHead.response)).toBeDefined();

    const afterSave = await sameAsWithout((req, res) => {
      data(req).n = 1;
      req.session.save(() => {
        res.setHeader("Set-Cookie", "theirs=2; Path=/");
        res.end("ok");
      });
    });
    expect(afterSave.seen.cookies).toEqual(["theirs=2; Path=/"]);
    expect(sessionCookie(afterSave.response)).toBeDefined();
  });

  it("flushHeaders() (server-sent events) sends the cookie with the flushed headers", async () => {
    const { response, seen } = await sameAsWithout((req, res: ServerResponse) => {
      data(req).n = 1;
      res.setHeader("content-type", "text/event-stream");
      res.flushHeaders();
      res.write("data: 1\n\n");
      res.end();
    });
    expect(seen.body).toBe("data: 1\n\n");
    expect(sessionCookie(response)).toBeDefined();
  });

  it("a failed commit: the app's headers and body are dropped and the error handler answers 503", async () => {
    const { store } = fixture();
    const app = await appWith((req, res) => {
      data(req).n = 1;
      res.setHeader("x-app", "1");
      res.cookie("mine", "1");
      res.redirect("/next");
    }, store);
    store.failing = true;
    const response = await app.fetch("/", { method: "POST" });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "SessionError", code: "STORE_UNAVAILABLE" });
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-app")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(sessionLine(response)).toBeUndefined();
  });
});

describe("only a session with something to commit holds the response", () => {
  /** A handler that ends the response and reports whether `end` really ran at once. */
  const endAndReport = (ended: boolean[]) => (res: express.Response) => {
    res.end("ok");
    ended.push(res.writableEnded);
  };

  it("a read-only request ends at once and touches no store write; a write is held until the commit", async () => {
    const { store } = fixture();
    const ended: boolean[] = [];
    const report = endAndReport(ended);
    const app = await appWith((req, res) => {
      if (req.method === "POST") data(req).n = ((data(req).n as number | undefined) ?? 0) + 1;
      else void data(req).n;
      report(res);
    }, store);
    const created = await app.fetch("/", { method: "POST" });
    const cookie = sessionCookie(created) as string;
    await app.fetch("/", { headers: { cookie } });
    await app.fetch("/", { method: "POST", headers: { cookie } });
    expect(ended).toEqual([false, true, false]);
    expect(store.writes()).toEqual(["create", "patch"]);
  });

  it("an unawaited save() still in flight at end holds the response until its write finished", async () => {
    const { store, memory } = slowStore(60);
    const app = await appWith((req, res) => {
      data(req).n = Number(req.query.n);
      void req.session.save();
      setTimeout(() => res.end(), 5); // the save's store write is still running
    }, store);
    const first = await app.fetch("/?n=1");
    const cookie = sessionCookie(first) as string;
    const id = cookie.split(".")[2] as string;
    await app.fetch("/?n=2", { headers: { cookie } });
    // The response arrived: the patch must already be in the store.
    expect((await memory.get(id))?.data).toEqual({ n: 2 });
  });

  it("a route in a mounted sub-app (its own app.response) is held and carries the cookie", async () => {
    const { store } = fixture();
    const parent = express();
    const child = express();
    parent.use(session({ secret: SECRET, store }));
    child.get("/in", (req, res) => {
      data(req).from = "child";
      res.json({ sessionID: req.sessionID, id: req.session.id });
    });
    parent.use("/child", child);
    const app = await serve(parent);
    const response = await app.fetch("/child/in");
    const body = (await response.json()) as { sessionID: string; id: string };
    expect(body.sessionID).toBe(body.id);
    expect(sessionCookie(response)).toContain(`.${body.id}.`);
    expect((await store.memory.get(body.id))?.data).toEqual({ from: "child" });
  });

  it("responses of a server without the middleware, in the same process, behave as usual", async () => {
    const withSession = await appWith((req, res) => {
      data(req).n = 1;
      res.end();
    }, memoryStore());
    expect(sessionCookie(await withSession.fetch("/"))).toBeDefined(); // the hooks are installed now
    const seen: unknown[] = [];
    const plain = await serve((req, res) => {
      res.setHeader("x-plain", "1");
      seen.push(res.headersSent);
      res.end("plain");
      seen.push(res.headersSent, res.writableEnded);
      try {
        res.setHeader("x-late", "1");
      } catch (error) {
        seen.push((error as { code?: string }).code);
      }
      seen.push("sessionID" in req);
    });
    const response = await plain.fetch("/");
    expect(await response.text()).toBe("plain");
    expect(response.headers.get("x-plain")).toBe("1");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(seen).toEqual([false, true, true, "ERR_HTTP_HEADERS_SENT", false]);
  });
});
