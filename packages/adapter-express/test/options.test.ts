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

  it('maxAge with expires, a bad maxAge, a bad unset, rolling with touchAfterSeconds, sameSite "auto" with secure: false', () => {
    invalid({ secret: SECRET, cookie: { sameSite: "auto", secure: false } }, /sameSite: "auto"` gives SameSite=None on HTTPS/);
    invalid({ secret: SECRET, cookie: { maxAge: 1000, expires: new Date(Date.now() + 1000) } }, /not both/);
    invalid({ secret: SECRET, cookie: { maxAge: -5 } }, /positive number of milliseconds/);
    invalid({ secret: SECRET, cookie: { expires: new Date(0) } }, /future Date/);
    invalid({ secret: SECRET, unset: "drop" }, /`unset` must be "keep" or "destroy"/);
    invalid({ secret: SECRET, rolling: true, touchAfterSeconds: 60 }, /contradicts `touchAfterSeconds`/);
    invalid({ secret: SECRET, proxy: "yes" }, /`proxy` must be/);
    invalid({ secret: SECRET, key: 5 }, /`key` \(the cookie name\) must be a string/);
  });

  it("an unknown option names the closest known one", () => {
    invalid({ secret: SECRET, idleTimeout: 60 }, /unknown option `idleTimeout`; did you mean `idleTimeoutSeconds`\?/);
    invalid({ secret: SECRET, saveUninitialised: false }, /did you mean `saveUninitialized`\?/);
    invalid({ secret: SECRET, rolling: true, resav: false }, /did you mean `resave`\?/);
    invalid({ secret: SECRET, cookie: { maxage: 1000 } }, /unknown option `maxage`; did you mean `maxAge`\?/);
    invalid({ secret: SECRET, zzz: 1 }, /unknown option `zzz`; the options are `secret`, `name`/);
  });

  it("an option of another session library, or in the wrong place, says why and what to write", () => {
    invalid({ secret: SECRET, secrets: [SECRET] }, /option `secrets` is not supported: .*express-session's `secret`/);
    invalid({ secret: SECRET, generateId: () => "x" }, /option `generateId` is not supported: .*`genid\(req\)`/);
    invalid({ secret: SECRET, maxAge: 1000 }, /option `maxAge` is not supported: .*`cookie.maxAge`/);
    invalid({ secret: SECRET, secure: true }, /option `secure` is not supported: it is a cookie attribute/);
    invalid({ secret: SECRET, cookie: { name: "sid" } }, /option `name` is not supported: .*top-level `name`/);
    invalid({ secret: SECRET, cookie: { encode: String } }, /option `encode` is not supported/);
  });

  it("an option given as undefined is ignored, as express-session ignores it", () => {
    expect(() => session({ secret: SECRET, idleTimeout: undefined } as unknown as SessionOptions)).not.toThrow();
  });

  it("secrets: a Buffer under 16 bytes, an empty list, a bad cookieFormat, cookieFormat with writeTokenFormat", () => {
    invalid({ secret: Buffer.alloc(15, 1) }, /a Buffer secret needs at least 16 random bytes; secret 0 has 15/);
    invalid({ secret: [] }, /`secret` must be a string, a Buffer, or a non-empty array/);
    invalid({ secret: SECRET, cookieFormat: "connect" }, /`cookieFormat` must be "tessera" or "express-session"/);
    invalid(
      { secret: SECRET, cookieFormat: "express-session", writeTokenFormat: { name: "x", verify: () => null, sign: (id: string) => id } },
      /not both/,
    );
  });
});

describe("options typed as express-session's types have them", () => {
  it("genid and cookie functions typed for Express's Request are accepted (checked by tsc)", () => {
    const middleware = session({
      secret: SECRET,
      genid: (req: express.Request) => `${req.path.length}-${"x".repeat(30)}`,
      cookie: (req: express.Request) => ({ secure: req.secure }),
    });
    expect(typeof middleware).toBe("function");
  });
});

describe("express-session options, translated", () => {
  it("name, sameSite true → Strict, httpOnly false, domain", async () => {
    const t = await app({ name: "sid", cookie: { sameSite: true, httpOnly: false, domain: "example.test" } });
    const response = await t.server.fetch("/set", { method: "POST" });
    expect(sessionLine(response, "sid")).toMatch(/^sid=[^;]+; Domain=example\.test; Path=\/; SameSite=Strict$/);
  });

  it("key is the cookie name when name is not given (express-session's deprecated alias); name wins over it", async () => {
    const t = await app({ key: "legacy.sid" });
    expect(sessionLine(await t.server.fetch("/set", { method: "POST" }), "legacy.sid")).toBeDefined();
    const both = await app({ key: "legacy.sid", name: "sid" });
    const response = await both.server.fetch("/set", { method: "POST" });
    expect(sessionLine(response, "sid")).toBeDefined();
    expect(sessionLine(response, "legacy.sid")).toBeUndefined();
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
