/**
 * express-session's cookie options, each run on the real express-session and on Tessera with the
 * same app and store: `cookie.secure` (true, false, "auto") with `proxy`, `cookie.sameSite`
 * (including "auto"), `cookie.path` scoping, `cookie` as a function of the request, `name` and
 * `key`. Where they differ, the test shows the difference the deliberate-differences table lists.
 */
import { describe, expect, it } from "vitest";
import { cookieLine, cookiePair, HTTPS, IMPLEMENTATIONS, NAME, start } from "./semantics-harness.js";

const POST = { method: "POST" };
const POST_HTTPS = { method: "POST", headers: HTTPS };

describe.each(IMPLEMENTATIONS)("cookie.secure and proxy (%s)", (implementation) => {
  it("secure: true on a plain-HTTP request sends no cookie; Tessera does not store the session either", async () => {
    const { server, store } = await start(implementation, { cookie: { secure: true } });
    const response = await server.fetch("/write", POST);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    // A deliberate difference: express-session stores a session no browser can ever send back.
    expect(Object.keys(store.records())).toHaveLength(implementation === "express-session" ? 1 : 0);
  });

  it("secure: true on an HTTPS request sends a Secure cookie, and the session works", async () => {
    const { server } = await start(implementation, { cookie: { secure: true } });
    const response = await server.fetch("/write?n=4", POST_HTTPS);
    expect(cookieLine(response)).toMatch(/; Secure/);
    const cookie = cookiePair(response);
    expect(await (await server.fetch("/read", { headers: { ...HTTPS, cookie } })).json()).toMatchObject({ n: 4 });
  });

  it('secure: "auto" sets Secure on HTTPS only', async () => {
    const { server } = await start(implementation, { cookie: { secure: "auto" } });
    expect(cookieLine(await server.fetch("/write", POST))).not.toMatch(/Secure/);
    expect(cookieLine(await server.fetch("/write", POST_HTTPS))).toMatch(/; Secure/);
  });

  it("secure: false never sets Secure", async () => {
    const { server } = await start(implementation, { cookie: { secure: false } });
    expect(cookieLine(await server.fetch("/write", POST_HTTPS))).not.toMatch(/Secure/);
  });

  it("proxy: false ignores X-Forwarded-Proto even with Express's trust proxy: secure: true then sends no cookie", async () => {
    const { server } = await start(implementation, { proxy: false, cookie: { secure: true } });
    expect((await server.fetch("/write", POST_HTTPS)).headers.getSetCookie()).toEqual([]);
  });
});

describe.each(IMPLEMENTATIONS)("cookie.sameSite (%s)", (implementation) => {
  it('sameSite: "auto" gives None with Secure on HTTPS and Lax on plain HTTP', async () => {
    const { server } = await start(implementation, { cookie: { sameSite: "auto", secure: "auto" } });
    const https = cookieLine(await server.fetch("/write", POST_HTTPS));
    expect(https).toMatch(/; SameSite=None/);
    expect(https).toMatch(/; Secure/);
    const http = cookieLine(await server.fetch("/write", POST));
    expect(http).toMatch(/; SameSite=Lax/);
    expect(http).not.toMatch(/Secure/);
  });

  it('sameSite true is Strict; "strict", "lax" and "none" as given', async () => {
    for (const [sameSite, attribute] of [
      [true, "Strict"],
      ["strict", "Strict"],
      ["lax", "Lax"],
      ["none", "None"],
    ] as const) {
      const { server } = await start(implementation, { cookie: { sameSite, secure: true } });
      expect(cookieLine(await server.fetch("/write", POST_HTTPS)), String(sameSite)).toMatch(new RegExp(`; SameSite=${attribute}`));
    }
  });
});

describe.each(IMPLEMENTATIONS)("cookie.path scoping and cookie(req) (%s)", (implementation) => {
  it("a request outside cookie.path gets no session and no cookie; inside, the session works", async () => {
    const { server, store } = await start(implementation, { cookie: { path: "/app" } });
    expect(await (await server.fetch("/read")).json()).toBeNull();
    const outside = await server.fetch("/write", POST);
    expect(outside.status).toBe(500); // the route has no req.session to write to
    expect(outside.headers.getSetCookie()).toEqual([]);
    expect(Object.keys(store.records())).toHaveLength(0);
    const inside = await server.fetch("/app/write?n=5", POST);
    expect(cookieLine(inside)).toMatch(/; Path=\/app/);
    const cookie = cookiePair(inside);
    expect(await (await server.fetch("/app/read", { headers: { cookie } })).json()).toMatchObject({ n: 5 });
  });

  it("cookie as a function of the request: its attributes and path scope are decided per request", async () => {
    const cookie = (req: { url?: string }) => {
      const segment = /^\/([^/?]+)\//.exec(req.url ?? "")?.[1];
      return { path: segment ? `/${segment}` : "/", maxAge: segment === "remember" ? 60_000 : null, httpOnly: true };
    };
    const { server } = await start(implementation, { cookie });
    const a = cookieLine(await server.fetch("/a/write", POST));
    expect(a).toMatch(/; Path=\/a/);
    expect(a).not.toMatch(/Expires=|Max-Age=/);
    const remember = cookieLine(await server.fetch("/remember/write", POST));
    expect(remember).toMatch(/; Path=\/remember/);
    expect(remember).toMatch(/Expires=|Max-Age=60;/);
    const pair = cookiePair(await server.fetch("/b/write?n=6", POST));
    expect(await (await server.fetch("/b/read", { headers: { cookie: pair } })).json()).toMatchObject({ n: 6 });
  });
});

describe.each(IMPLEMENTATIONS)("a disconnected store with cookie(req) (%s)", (implementation) => {
  it("while the store is disconnected, requests get no session; after connect, they do", async () => {
    const { server, store } = await start(implementation, { cookie: () => ({ path: "/" }) });
    store.emit("disconnect");
    expect(await (await server.fetch("/read")).json()).toBeNull();
    store.emit("connect");
    expect(await (await server.fetch("/read")).json()).toMatchObject({ n: null });
  });
});

describe.each(IMPLEMENTATIONS)("name and key (%s)", (implementation) => {
  it("key names the cookie when name is not given", async () => {
    const { server } = await start(implementation, { name: undefined, key: "legacy.sid" });
    expect(cookieLine(await server.fetch("/write", POST), "legacy.sid")).toBeDefined();
  });

  it("the default name is connect.sid, so a switched app keeps its users' cookies", async () => {
    const { server } = await start(implementation, { name: undefined });
    const response = await server.fetch("/write", POST);
    expect(cookieLine(response, "connect.sid")).toBeDefined();
    expect(cookieLine(response, NAME)).toBeUndefined();
  });
});
