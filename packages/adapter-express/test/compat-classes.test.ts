/**
 * express-session's exports and classes (`session.Store`, `session.MemoryStore`, `session.Cookie`,
 * `session.Session`), compared with the real express-session package where it has the same member,
 * and used the ways third-party stores use them (`util.inherits` + `Store.call(this)`,
 * `class extends session.Store`, memorystore and session-file-store built on this `session`).
 */
import { EventEmitter } from "node:events";
import { inherits } from "node:util";
import { serveNode } from "@tessera/adapter-test-suite";
import express from "express";
import expressSession from "express-session";
import createMemoryStore from "memorystore";
import { afterEach, describe, expect, it } from "vitest";
import session, * as named from "../src/index.js";

type Callback = (error?: unknown, value?: unknown) => void;
/** express-session's Cookie; its published types declare no constructor arguments. */
const ExpressCookie = expressSession.Cookie as unknown as new (options?: object) => named.Cookie;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe("exports", () => {
  it("the default export is the named `session`, with Store, MemoryStore, Cookie and Session attached", () => {
    expect(session).toBe(named.session);
    expect(typeof session).toBe("function");
    expect(session.Store).toBe(named.Store);
    expect(session.MemoryStore).toBe(named.MemoryStore);
    expect(session.Cookie).toBe(named.Cookie);
    expect(session.Session).toBe(named.Session);
    expect(Object.keys(session).sort()).toEqual(Object.keys(expressSession).sort());
  });
});

describe("session.Store", () => {
  it("is an EventEmitter with express-session's regenerate, load and createSession, not enumerable", () => {
    const store = new session.MemoryStore();
    expect(store).toBeInstanceOf(EventEmitter);
    expect(store).toBeInstanceOf(session.Store);
    for (const method of ["regenerate", "load", "createSession"] as const) {
      expect(typeof session.Store.prototype[method]).toBe("function");
      expect(Object.getOwnPropertyDescriptor(session.Store.prototype, method)?.enumerable).toBe(false);
    }
  });

  it("supports util.inherits with Store.call(this), as older stores are written", () => {
    function LegacyStore(this: { records: Map<string, unknown> }) {
      session.Store.call(this);
      this.records = new Map();
    }
    inherits(LegacyStore, session.Store);
    LegacyStore.prototype.get = function (this: { records: Map<string, unknown> }, sid: string, callback: Callback) {
      callback(null, this.records.get(sid) ?? null);
    };
    const store = new (LegacyStore as unknown as new () => EventEmitter & { get: (sid: string, callback: Callback) => void })();
    expect(store).toBeInstanceOf(session.Store);
    expect(store).toBeInstanceOf(EventEmitter);
    let heard = false;
    store.on("connect", () => {
      heard = true;
    });
    store.emit("connect");
    expect(heard).toBe(true);
  });

  it("supports class extends session.Store", () => {
    class Subclass extends session.Store {
      override get(_sid: string, callback: Callback) {
        callback(null, null);
      }
      override set(_sid: string, _session: unknown, callback?: Callback) {
        callback?.();
      }
      override destroy(_sid: string, callback?: Callback) {
        callback?.();
      }
    }
    const store = new Subclass();
    expect(store).toBeInstanceOf(session.Store);
    expect(typeof store.on).toBe("function");
  });

  it("load and createSession build a Session whose cookie is a Cookie with the stored expiry, as express-session does", async () => {
    const expires = new Date(Date.now() + 60_000);
    const record = { cookie: { originalMaxAge: 60_000, expires: expires.toISOString(), path: "/", httpOnly: true }, views: 3 };
    const loaded = await Promise.all(
      [new session.MemoryStore(), new expressSession.MemoryStore()].map(
        (store) =>
          new Promise<Record<string, unknown>>((resolve, reject) => {
            store.set("sid-1", JSON.parse(JSON.stringify(record)), () => {
              store.load("sid-1", (error, loadedSession) => (error ? reject(error) : resolve(loadedSession as never)));
            });
          }),
      ),
    );
    const [ours, theirs] = loaded as [Record<string, unknown> & { cookie: named.Cookie }, Record<string, unknown>];
    expect(ours).toBeInstanceOf(session.Session);
    expect(ours.id).toBe("sid-1");
    expect(ours.cookie).toBeInstanceOf(session.Cookie);
    expect(ours.cookie.expires).toEqual(expires);
    expect(ours.cookie.originalMaxAge).toBe(60_000);
    expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(theirs)));
  });

  it("load of a missing session calls back with nothing", async () => {
    const store = new session.MemoryStore();
    const args = await new Promise<unknown[]>((resolve) => store.load("nope", (...received) => resolve(received)));
    expect(args.filter((arg) => arg !== undefined)).toEqual([]);
  });

  it("regenerate destroys the old record and calls the store's generate (set by express-session's middleware)", async () => {
    const store = new session.MemoryStore();
    await new Promise<void>((resolve) => store.set("old", { cookie: {}, a: 1 }, () => resolve()));
    const generated: unknown[] = [];
    store.generate = (req) => generated.push(req);
    const req = { sessionID: "old", sessionStore: store };
    await new Promise<void>((resolve, reject) => store.regenerate(req, (error) => (error ? reject(error) : resolve())));
    expect(generated).toEqual([req]);
    expect(store.sessions.old).toBeUndefined();
  });
});

describe("session.Cookie", () => {
  const attributes = { path: "/app", httpOnly: true, secure: true, sameSite: "lax" as const, domain: "example.com" };

  it("has the same maxAge, originalMaxAge, expires, data and JSON as express-session's Cookie", () => {
    const ours = new session.Cookie({ ...attributes, maxAge: 60_000 });
    const theirs = new ExpressCookie({ ...attributes, maxAge: 60_000 });
    expect(ours.originalMaxAge).toBe(theirs.originalMaxAge);
    expect(Math.abs((ours.expires?.valueOf() ?? 0) - (theirs.expires?.valueOf() ?? 0))).toBeLessThan(50);
    expect(ours.maxAge).toBeGreaterThan(59_000);
    expect(Object.keys(ours.data).sort()).toEqual(Object.keys(theirs.data).sort());
    const { expires: _ours, ...oursJson } = JSON.parse(JSON.stringify(ours));
    const { expires: _theirs, ...theirsJson } = JSON.parse(JSON.stringify(theirs));
    expect(oursJson).toEqual(theirsJson);
  });

  it("defaults to a browser-session cookie: path /, httpOnly, maxAge and expires null", () => {
    const cookie = new session.Cookie();
    expect(cookie.path).toBe("/");
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.maxAge).toBeNull();
    expect(cookie.expires).toBeNull();
    expect(cookie.originalMaxAge).toBeNull();
    expect(JSON.stringify(cookie)).toBe(JSON.stringify(new ExpressCookie()));
  });

  it("setting expires records the lifetime left in originalMaxAge; maxAge refuses a non-number", () => {
    const cookie = new session.Cookie();
    cookie.expires = new Date(Date.now() + 10_000);
    expect(cookie.originalMaxAge).toBeGreaterThan(9_000);
    expect(cookie.originalMaxAge).toBeLessThanOrEqual(10_000);
    expect(() => {
      (cookie as { maxAge: unknown }).maxAge = "soon";
    }).toThrow(TypeError);
    expect(() => new session.Cookie("x" as never)).toThrow(TypeError);
  });

  it("serialize writes the same Set-Cookie value as express-session's Cookie", () => {
    const expires = new Date(Date.UTC(2030, 0, 1));
    const ours = new session.Cookie({ ...attributes, partitioned: true, priority: "high" });
    const theirs = new ExpressCookie({ ...attributes, partitioned: true, priority: "high" });
    ours.expires = expires;
    theirs.expires = expires;
    const value = "s:abc/def+=";
    expect(ours.serialize("connect.sid", value)).toBe(theirs.serialize("connect.sid", value));
    expect(() => ours.serialize("bad name", "v")).toThrow(TypeError);
  });
});

describe("session.Session", () => {
  it("takes the record's data without overwriting its own members, and its methods go through req.sessionStore", async () => {
    const store = new session.MemoryStore();
    const req = { sessionID: "s1", sessionStore: store } as named.SessionOwnerRequest;
    const created = new session.Session(req, { views: 1, save: "not a method", id: "forged" });
    expect(created.id).toBe("s1");
    expect(typeof created.save).toBe("function");
    expect(created.views).toBe(1);
    expect(Object.keys(created)).toEqual(["views"]);
    created.cookie = new session.Cookie({ maxAge: 1_000 });
    await new Promise((resolve) => created.save(resolve));
    expect(JSON.parse(store.sessions.s1 ?? "{}").views).toBe(1);
    req.session = created;
    await new Promise((resolve) => created.destroy(resolve));
    expect(req.session).toBeUndefined();
    expect(store.sessions.s1).toBeUndefined();
  });
});

describe("session.MemoryStore", () => {
  const call = <T>(run: (callback: (error: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

  const at = Date.now();
  const live = { cookie: { originalMaxAge: 60_000, expires: new Date(at + 60_000) }, n: 1 };
  const expired = { cookie: { originalMaxAge: 1, expires: new Date(at - 1) }, n: 2 };
  const touchedCookie = { originalMaxAge: 60_000, expires: new Date(at + 120_000) };

  /** Runs the same calls against a store and returns what each answered. */
  async function script(store: named.MemoryStore | InstanceType<typeof expressSession.MemoryStore>) {
    const s = store as unknown as named.MemoryStore;
    await call((cb) => s.set("live", live as never, cb));
    await call((cb) => s.set("expired", expired as never, cb));
    const got = await call((cb) => s.get("live", cb));
    const gotExpired = await call((cb) => s.get("expired", cb));
    const length = await call<number>((cb) => s.length(cb));
    await call((cb) => s.touch("live", { cookie: touchedCookie, n: 99 } as never, cb));
    await call((cb) => s.touch("missing", { cookie: touchedCookie } as never, cb));
    const afterTouch = await call((cb) => s.get("live", cb));
    const missing = await call((cb) => s.get("missing", cb));
    const all = await call((cb) => s.all(cb as never));
    await call((cb) => s.destroy("live", cb));
    const afterDestroy = await call((cb) => s.length(cb));
    await call((cb) => s.set("again", live as never, cb));
    await call((cb) => s.clear(cb));
    const afterClear = await call((cb) => s.length(cb));
    return JSON.parse(JSON.stringify({ got, gotExpired, length, afterTouch, missing, all, afterDestroy, afterClear }));
  }

  it("answers every call as express-session's MemoryStore does (expiry on read, touch only updates the cookie of an existing record)", async () => {
    const ours = await script(new session.MemoryStore());
    const theirs = await script(new expressSession.MemoryStore());
    expect(ours).toEqual(theirs);
    expect(ours.afterTouch.n).toBe(1);
    expect(ours.length).toBe(1);
    expect(ours.afterClear).toBe(0);
  });
});

describe("stores built on this package's session, run by express-session itself", () => {
  it("memorystore(session) serves a real express-session app across requests", async () => {
    const MemoryStore = createMemoryStore(session as unknown as typeof expressSession);
    const store = new MemoryStore({ checkPeriod: 0 });
    const app = express();
    app.use(expressSession({ secret: "a secret of at least thirty-two characters", resave: false, saveUninitialized: false, store }));
    app.get("/", (req, res) => {
      req.session.views = ((req.session.views as number | undefined) ?? 0) + 1;
      res.send(String(req.session.views));
    });
    const served = await serveNode(app);
    closers.push(() => served.close());
    const first = await fetch(served.url);
    const cookie = first.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    expect(await first.text()).toBe("1");
    const second = await fetch(served.url, { headers: { cookie } });
    expect(await second.text()).toBe("2");
  });
});

declare module "express-session" {
  interface SessionData {
    views: number;
  }
}
