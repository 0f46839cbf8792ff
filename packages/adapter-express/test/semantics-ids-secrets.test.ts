/**
 * express-session's `genid(req)`, `secret` as a Buffer or a list of Buffers, `req.secret`, and
 * `cookieFormat`: session IDs and cookie signatures as express-session makes them, so a switched
 * app keeps its users (the apps share one express-session MemoryStore).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { session } from "../src/index.js";
import { CountingMemoryStore, cookieLine, cookiePair, IMPLEMENTATIONS, start } from "./semantics-harness.js";

const POST = { method: "POST" };

describe.each(IMPLEMENTATIONS)("genid(req) (%s)", (implementation) => {
  it("is called with the request, for a new session and for regenerate()", async () => {
    const seen: string[] = [];
    let counter = 0;
    const genid = (req: IncomingMessage) => {
      seen.push(`${req.method} ${req.url}`);
      return `generated-id-${String(++counter).padStart(16, "0")}`;
    };
    const { server } = await start(implementation, { genid }, (app) =>
      app.post("/login", (req, res, next) => {
        req.session.regenerate((error) => (error ? next(error) : res.json({ id: req.session.id })));
      }),
    );
    const created = await server.fetch("/write", POST);
    expect(await created.json()).toEqual({ id: "generated-id-0000000000000001" });
    const login = await server.fetch("/login", { method: "POST", headers: { cookie: cookiePair(created) } });
    expect(await login.json()).toEqual({ id: "generated-id-0000000000000002" });
    expect(seen).toEqual(["POST /write", "POST /login"]);
  });
});

describe("secrets as express-session takes them", () => {
  it("a Buffer secret: a session express-session created is read by Tessera with the same Buffer", async () => {
    const secret = randomBytes(32);
    const store = new CountingMemoryStore();
    const legacy = await start("express-session", { secret, store });
    const tessera = await start("tessera", { secret, store });
    const cookie = cookiePair(await legacy.server.fetch("/write?n=8", POST));
    expect(await (await tessera.server.fetch("/read", { headers: { cookie } })).json()).toMatchObject({ n: 8 });
  });

  it("a list of Buffers, current first: a cookie signed with an older one is accepted and re-issued", async () => {
    const [current, older] = [randomBytes(32), randomBytes(32)];
    const store = new CountingMemoryStore();
    const legacy = await start("express-session", { secret: older, store });
    const tessera = await start("tessera", { secret: [current, older], store });
    const cookie = cookiePair(await legacy.server.fetch("/write?n=9", POST));
    const response = await tessera.server.fetch("/read", { headers: { cookie } });
    expect(await response.json()).toMatchObject({ n: 9 });
    const reissued = cookiePair(response);
    expect(reissued).not.toBe(cookie);
    expect(await (await tessera.server.fetch("/read", { headers: { cookie: reissued } })).json()).toMatchObject({ n: 9 });
  });

  it("req.secret (express-session's deprecated fallback, set by cookie-parser) is refused at startup", () => {
    expect(() => session({} as never)).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringContaining("`req.secret`") }),
    );
  });

  it("a secret shorter than 32 characters is refused; it can still read express-session's cookies through expressSessionCookie", async () => {
    expect(() => session({ secret: "keyboard cat" })).toThrow(expect.objectContaining({ code: "INVALID_CONFIG" }));
  });
});

describe("cookieFormat", () => {
  it('default "tessera": an express-session cookie is read, and replaced by a Tessera cookie in the same response', async () => {
    const store = new CountingMemoryStore();
    const legacy = await start("express-session", { store });
    const tessera = await start("tessera", { store });
    const cookie = cookiePair(await legacy.server.fetch("/write?n=2", POST));
    expect(cookie).toMatch(/^sid=s%3A/);
    const response = await tessera.server.fetch("/read", { headers: { cookie } });
    expect(await response.json()).toMatchObject({ n: 2 });
    expect(cookiePair(response)).not.toMatch(/^sid=s%3A/);
  });

  it('"express-session": Tessera writes express-session\'s cookie, which express-session reads', async () => {
    const store = new CountingMemoryStore();
    const legacy = await start("express-session", { store });
    const tessera = await start("tessera", { store, cookieFormat: "express-session" });
    const created = await tessera.server.fetch("/write?n=3", POST);
    const cookie = cookiePair(created);
    expect(cookie).toMatch(/^sid=s%3A/);
    expect(cookieLine(created)).toBeDefined();
    expect(await (await legacy.server.fetch("/read", { headers: { cookie } })).json()).toMatchObject({ n: 3 });
  });
});
