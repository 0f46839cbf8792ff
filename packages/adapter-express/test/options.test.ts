import express from "express";
import { describe, expect, it } from "vitest";
import { type SessionOptions, session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie, sessionLine } from "./helpers.js";

const data = (req: { session: object }) => req.session as Record<string, unknown>;

/** An app whose POST /set stores n=1 and GET / reads n. */
async function app(options: Partial<SessionOptions>) {
  const f = fixture();
  const instance = express();
  instance.use(session({ secret: SECRET, store: f.store, now: f.clock.now, ...options }));
  instance.post("/set", (req, res) => {
    data(req).n = 1;
    res.json({ id: req.session.id });
  });
  instance.get("/", (req, res) => {
    res.json({ n: data(req).n ?? null });
  });
  instance.use(((error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ code: error.code, message: error.message });
  }) as express.ErrorRequestHandler);
  return { ...f, server: await serve(instance) };
}

describe("configuration mistakes throw INVALID_CONFIG at startup", () => {
  const invalid = (options: unknown, message: RegExp) =>
    expect(() => session(options as SessionOptions)).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(message) }),
    );

  it("a missing or short secret", () => {
    invalid({}, /`secret` is required/);
    invalid({ secret: "short" }, /at least 32 characters/);
  });

  it('sameSite "auto", maxAge with expires, a bad maxAge, a bad unset, rolling with touchAfterSeconds', () => {
    invalid({ secret: SECRET, cookie: { sameSite: "auto" } }, /sameSite: "auto"` is not supported/);
    invalid({ secret: SECRET, cookie: { maxAge: 1000, expires: new Date(Date.now() + 1000) } }, /not both/);
    invalid({ secret: SECRET, cookie: { maxAge: -5 } }, /positive number of milliseconds/);
    invalid({ secret: SECRET, cookie: { expires: new Date(0) } }, /future Date/);
    invalid({ secret: SECRET, unset: "drop" }, /`unset` must be "keep" or "destroy"/);
    invalid({ secret: SECRET, rolling: true, touchAfterSeconds: 60 }, /contradicts `touchAfterSeconds`/);
    invalid({ secret: SECRET, proxy: "yes" }, /`proxy` must be/);
  });
});

describe("express-session options, translated", () => {
  it("name, sameSite true → Strict, httpOnly false, domain, path", async () => {
    const t = await app({ name: "sid", cookie: { sameSite: true, httpOnly: false, domain: "example.test", path: "/app" } });
    const response = await t.server.fetch("/set", { method: "POST" });
    expect(sessionLine(response, "sid")).toMatch(/^sid=[^;]+; Domain=example\.test; Path=\/app; SameSite=Strict$/);
  });

  it("sameSite false gives Lax (browsers disagree on a missing attribute)", async () => {
    const t = await app({ cookie: { sameSite: false } });
    expect(sessionLine(await t.server.fetch("/set", { method: "POST" }))).toContain("SameSite=Lax");
  });

  it("cookie.maxAge: every session gets Max-Age, and expires after maxAge unused", async () => {
    const t = await app({ cookie: { maxAge: 60_000 } });
    const created = await t.server.fetch("/set", { method: "POST" });
    expect(sessionLine(created)).toContain("; Max-Age=60;");
    const cookie = sessionCookie(created) as string;
    t.clock.advanceSeconds(59);
    expect(await (await t.server.fetch("/", { headers: { cookie } })).json()).toEqual({ n: 1 });
    t.clock.advanceSeconds(61);
    expect(await (await t.server.fetch("/", { headers: { cookie } })).json()).toEqual({ n: null });
  });

  it("cookie.expires is converted to maxAge once", async () => {
    const f = fixture();
    const t = await app({ now: f.clock.now, cookie: { expires: new Date(f.clock.now() + 120_000) } });
    expect(sessionLine(await t.server.fetch("/set", { method: "POST" }))).toContain("; Max-Age=120;");
  });

  it("resave / rolling: every request touches; by default an unchanged request writes nothing", async () => {
    for (const [options, writes] of [
      [{}, []],
      [{ resave: true }, ["touch"]],
      [{ rolling: true }, ["touch"]],
    ] as const) {
      const t = await app(options);
      const cookie = sessionCookie(await t.server.fetch("/set", { method: "POST" })) as string;
      t.clock.advanceSeconds(1);
      t.store.resetCalls();
      await t.server.fetch("/", { headers: { cookie } });
      expect(t.store.writes(), JSON.stringify(options)).toEqual(writes);
    }
  });

  it("saveUninitialized: true stores and sends an empty session", async () => {
    const t = await app({ saveUninitialized: true });
    const response = await t.server.fetch("/");
    expect(sessionCookie(response)).toBeDefined();
    expect(t.store.writes()).toEqual(["create"]);
  });

  it("genid supplies the IDs; a malformed one fails the request with INVALID_CONFIG", async () => {
    let counter = 0;
    const good = await app({ genid: () => `custom-id-${String(++counter).padStart(20, "0")}` });
    expect(await (await good.server.fetch("/set", { method: "POST" })).json()).toEqual({ id: "custom-id-00000000000000000001" });
    const bad = await app({ genid: () => "short" });
    const response = await bad.server.fetch("/set", { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: "INVALID_CONFIG" });
  });
});
