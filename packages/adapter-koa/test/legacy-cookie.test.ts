/**
 * The switch from koa-session: a REAL koa-session app logs the browser in, then the Tessera app
 * (same `app.keys`, same cookie name, same store) serves the next request without a new login, in
 * both of koa-session's forms — the session in the cookie (base64 JSON + `.sig`) and an external
 * store key — and moves the session to Tessera's cookie and record on that first request.
 */

import { type RunningApp, SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import Koa from "koa";
import koaSession from "koa-session";
import { afterEach, describe, expect, it } from "vitest";
import { type KoaSessionOptions, type KoaSessionStore, session } from "../src/index.js";
import { Backend, koaMemoryStore } from "./koa-stores.js";

/** Short keys, as koa-session apps often have: they verify old cookies, they cannot be Tessera's secrets. */
const OLD_KEYS = ["some secret hurr", "an older one"];

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** A tiny cookie jar: applies `Set-Cookie` lines (an empty or expired value removes the cookie). */
class Jar {
  readonly cookies = new Map<string, string>();
  apply(response: Response): this {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const [name, value] = [pair.slice(0, index), pair.slice(index + 1)];
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }
  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** The koa-session app the users logged in to. */
async function koaSessionApp(options: Record<string, unknown> = {}, keys = OLD_KEYS) {
  const app = new Koa();
  app.keys = keys;
  app.use(koaSession(options, app)).use((ctx) => {
    if (ctx.path === "/login") ctx.session = { user: "ann", cart: ["tea"] };
    ctx.body = { user: ctx.session?.user ?? null };
  });
  const server = await serveNode(app.callback());
  running.push(server);
  return server;
}

/** The same app on Tessera: only the import changed (plus `secrets`, as the old keys are short). */
async function tesseraApp(options: KoaSessionOptions = {}, keys = OLD_KEYS) {
  const app = new Koa();
  app.keys = keys;
  app.use(session({ secrets: [SECRET_A], ...options }, app)).use((ctx) => {
    ctx.body = { user: ctx.session.user ?? null, cart: ctx.session.cart ?? null, isNew: ctx.session.isNew };
  });
  const server = await serveNode(app.callback());
  running.push(server);
  return server;
}

describe("a koa-session cookie session (base64 JSON + .sig) logs in to the Tessera app", () => {
  it("read once with app.keys, moved to a sealed Tessera cookie, .sig cleared; the next request uses the new cookie", async () => {
    const jar = new Jar().apply(await (await koaSessionApp()).fetch("/login"));
    expect([...jar.cookies.keys()]).toEqual(["koa.sess", "koa.sess.sig"]);
    const legacyValue = jar.cookies.get("koa.sess") as string;
    expect(JSON.parse(Buffer.from(legacyValue, "base64").toString())).toMatchObject({ user: "ann", _maxAge: 86_400_000 });

    const tessera = await tesseraApp();
    const first = await tessera.fetch("/", { headers: { cookie: jar.header } });
    expect(await first.json()).toEqual({ user: "ann", cart: ["tea"], isNew: true });
    jar.apply(first);
    expect([...jar.cookies.keys()]).toEqual(["koa.sess"]);
    expect(jar.cookies.get("koa.sess")).not.toBe(legacyValue);
    // A persistent cookie, as koa-session's `_maxAge` said.
    expect(first.headers.getSetCookie().find((l) => l.startsWith("koa.sess="))).toMatch(/Max-Age=86400/);

    const second = await tessera.fetch("/", { headers: { cookie: jar.header } });
    expect(await second.json()).toEqual({ user: "ann", cart: ["tea"], isNew: false });
  });

  it("a cookie signed with an older key of app.keys is accepted (keygrip checks every key)", async () => {
    const jar = new Jar().apply(await (await koaSessionApp({}, ["an older one"])).fetch("/login"));
    const tessera = await tesseraApp({}, ["the current key", "an older one"]);
    expect(await (await tessera.fetch("/", { headers: { cookie: jar.header } })).json()).toMatchObject({ user: "ann" });
  });

  it("a tampered value, a wrong signature or an expired session logs nobody in", async () => {
    const jar = new Jar().apply(await (await koaSessionApp({ maxAge: 1 })).fetch("/login"));
    const tessera = await tesseraApp();
    const forged = Buffer.from(JSON.stringify({ user: "admin", _expire: Date.now() + 60_000, _maxAge: 60_000 })).toString("base64");
    const variants = [
      `koa.sess=${forged}; koa.sess.sig=${jar.cookies.get("koa.sess.sig")}`,
      `koa.sess=${jar.cookies.get("koa.sess")}; koa.sess.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      jar.header, // signed correctly, but its `_expire` (1 ms after login) has passed
    ];
    for (const cookie of variants) {
      const response = await tessera.fetch("/", { headers: { cookie } });
      expect(await response.json()).toEqual({ user: null, cart: null, isNew: true });
    }
  });

  it("a session saved with maxAge: 'session' stays a browser-session cookie", async () => {
    const jar = new Jar().apply(await (await koaSessionApp({ maxAge: "session" })).fetch("/login"));
    const response = await (await tesseraApp()).fetch("/", { headers: { cookie: jar.header } });
    expect(await response.json()).toMatchObject({ user: "ann" });
    expect(response.headers.getSetCookie().find((l) => l.startsWith("koa.sess="))).not.toMatch(/Max-Age/);
  });

  it("a custom decode reads cookies koa-session wrote with a custom encode", async () => {
    const encode = (data: unknown) => Buffer.from(JSON.stringify(data)).toString("hex");
    const decode = (value: string) => JSON.parse(Buffer.from(value, "hex").toString()) as unknown;
    const jar = new Jar().apply(await (await koaSessionApp({ encode, decode })).fetch("/login"));
    expect(await (await (await tesseraApp({ decode })).fetch("/", { headers: { cookie: jar.header } })).json()).toMatchObject({
      user: "ann",
    });
  });
});

describe("a koa-session external-store session logs in to the Tessera app", () => {
  it("same store: the record is moved to a Tessera ID on first use and the old key removed", async () => {
    const backend = new Backend();
    const jar = new Jar().apply(await (await koaSessionApp({ store: koaMemoryStore(backend) })).fetch("/login"));
    const oldKey = jar.cookies.get("koa.sess") as string;
    expect(backend.entries.has(oldKey)).toBe(true);

    const tessera = await tesseraApp({ store: koaMemoryStore(backend) });
    const first = await tessera.fetch("/", { headers: { cookie: jar.header } });
    expect(await first.json()).toEqual({ user: "ann", cart: ["tea"], isNew: true });
    jar.apply(first);
    expect([...jar.cookies.keys()]).toEqual(["koa.sess"]);
    expect(backend.entries.has(oldKey)).toBe(false);
    expect(backend.entries.size).toBe(1);

    const second = await tessera.fetch("/", { headers: { cookie: jar.header } });
    expect(await second.json()).toEqual({ user: "ann", cart: ["tea"], isNew: false });
  });

  it("a native Tessera store now: sessions move from the koa-session store given as legacyStore", async () => {
    const backend = new Backend();
    const legacyStore: KoaSessionStore = koaMemoryStore(backend);
    const jar = new Jar().apply(await (await koaSessionApp({ store: legacyStore })).fetch("/login"));
    const store = memoryStore();
    const tessera = await tesseraApp({ store, legacyStore });
    const first = await tessera.fetch("/", { headers: { cookie: jar.header } });
    expect(await first.json()).toMatchObject({ user: "ann" });
    expect(backend.entries.size).toBe(0);
    expect(store.size).toBe(1);
    jar.apply(first);
    expect(await (await tessera.fetch("/", { headers: { cookie: jar.header } })).json()).toMatchObject({ user: "ann", isNew: false });
  });

  it("an unknown external key logs nobody in and leaves the store alone", async () => {
    const backend = new Backend();
    const jar = new Jar().apply(await (await koaSessionApp({ store: koaMemoryStore(backend) })).fetch("/login"));
    backend.entries.clear();
    const response = await (await tesseraApp({ store: koaMemoryStore(backend) })).fetch("/", { headers: { cookie: jar.header } });
    expect(await response.json()).toEqual({ user: null, cart: null, isNew: true });
    expect(backend.entries.size).toBe(0);
  });
});
