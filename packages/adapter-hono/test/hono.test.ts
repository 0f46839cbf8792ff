import { getRequestListener } from "@hono/node-server";
import { countingStore, SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore, type SessionError } from "@tessera/core";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type Session, type SessionEnv, session } from "../src/index.js";

type Data = { views: number; user: string };

function app(options: { proxy?: boolean } = {}) {
  const store = countingStore(memoryStore());
  const sessions = session<Data>({ secrets: [SECRET_A], store, ...options });
  const hono = new Hono<SessionEnv<Data>>().use(sessions);
  return { store, sessions, hono };
}

const line = (response: Response) => response.headers.getSetCookie().find((l) => l.startsWith("tessera.sid="));

describe("hono adapter", () => {
  it('c.get("session") is typed by Data', () => {
    const { hono } = app();
    hono.get("/", (c) => {
      expectTypeOf(c.get("session")).toEqualTypeOf<Session<Data>>();
      expectTypeOf(c.get("session").get("views")).toEqualTypeOf<number | undefined>();
      return c.text("ok");
    });
  });

  it("a store failure reaches onError as HTTPException(503) with the SessionError as cause, without the handler's headers", async () => {
    const { hono, store } = app();
    let seen: unknown;
    hono.post("/", (c) => {
      c.get("session").set("user", "ann");
      setCookie(c, "mine", "1");
      c.header("x-app", "1");
      return c.redirect("/next");
    });
    hono.onError((error, c) => {
      seen = error;
      return c.json({ failed: true }, (error as HTTPException).status);
    });
    store.failing = true;
    const response = await hono.request("/", { method: "POST" });
    expect(response.status).toBe(503);
    expect(seen).toBeInstanceOf(HTTPException);
    const cause = (seen as HTTPException).cause as SessionError;
    expect(cause).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE", status: 503 });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-app")).toBeNull();
  });

  it("without an onError, Hono's default answers the 503", async () => {
    const { hono, store } = app();
    hono.get("/", (c) => c.text(String(c.get("session").set("views", 1).get("views"))));
    store.failing = true;
    const response = await hono.request("/");
    expect(response.status).toBe(503);
    expect(line(response)).toBeUndefined();
  });

  it("a handler that throws commits nothing", async () => {
    const { hono, store } = app();
    hono.get("/", (c) => {
      c.get("session").set("views", 1);
      throw new HTTPException(401, { message: "no" });
    });
    const response = await hono.request("/");
    expect(response.status).toBe(401);
    expect(line(response)).toBeUndefined();
    expect(store.calls).toEqual([]);
  });

  it("HTTPS: the request URL, and X-Forwarded-Proto only with proxy: true", async () => {
    const secureLine = async (options: { proxy?: boolean }, url: string, headers: Record<string, string> = {}) => {
      const { hono } = app(options);
      hono.get("/", (c) => c.text(String(c.get("session").set("views", 1).get("views"))));
      return line(await hono.request(url, { headers }));
    };
    const forwarded = { "x-forwarded-proto": "https" };
    expect(await secureLine({}, "https://example.test/")).toContain("; Secure");
    expect(await secureLine({}, "http://example.test/", forwarded)).not.toContain("Secure");
    expect(await secureLine({ proxy: true }, "http://example.test/", forwarded)).toContain("; Secure");
  });

  it("the same app works on @hono/node-server over real HTTP", async () => {
    const { hono } = app();
    hono.get("/", (c) => {
      const s = c.get("session");
      s.set("views", (s.get("views") ?? 0) + 1);
      return c.json({ views: s.get("views") });
    });
    const server = await serveNode(getRequestListener(hono.fetch));
    try {
      const first = await server.fetch("/");
      const cookie = (line(first) as string).split(";")[0] as string;
      expect(await first.json()).toEqual({ views: 1 });
      expect(await (await server.fetch("/", { headers: { cookie } })).json()).toEqual({ views: 2 });
    } finally {
      await server.close();
    }
  });

  it("the cookie is appended to the handler's own response, which is not rebuilt", async () => {
    const hono = new Hono<SessionEnv<Data>>();
    let returned: Response | undefined;
    let sent: Response | undefined;
    hono.use(async (c, next) => {
      await next();
      sent = c.res;
    });
    hono.use(session<Data>({ secrets: [SECRET_A] }));
    hono.get("/", (c) => {
      c.get("session").set("views", 1);
      returned = c.json({ views: 1 });
      return returned;
    });
    const response = await hono.request("/");
    expect(sent).toBe(returned);
    expect(line(response)).toMatch(/^tessera\.sid=/);
    expect(await response.json()).toEqual({ views: 1 });
  });

  it("a response with immutable headers (from fetch()) is copied to carry the cookie, its own cookies and body kept", async () => {
    const upstream = await serveNode((_request, response) => {
      response.setHeader("set-cookie", "upstream=1; Path=/");
      response.end("from upstream");
    });
    try {
      const { hono } = app();
      hono.get("/", async (c) => {
        c.get("session").set("views", 1);
        const fetched = await fetch(upstream.url);
        expect(() => fetched.headers.append("x-probe", "1")).toThrow(TypeError);
        return fetched;
      });
      const response = await hono.request("/");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("from upstream");
      const names = response.headers.getSetCookie().map((l) => l.split("=")[0]);
      expect(names).toEqual(["upstream", "tessera.sid"]);
    } finally {
      await upstream.close();
    }
  });

  it("headerName: the token header is set on the handler's response", async () => {
    const hono = new Hono<SessionEnv<Data>>().use(session<Data>({ secrets: [SECRET_A], headerName: "x-session" }));
    hono.get("/", (c) => {
      const s = c.get("session");
      s.set("views", (s.get("views") ?? 0) + 1);
      return c.json({ views: s.get("views") });
    });
    const first = await hono.request("/");
    const token = first.headers.get("x-session");
    expect(token).toMatch(/\./);
    const second = await hono.request("/", { headers: { "x-session": token as string } });
    expect(await second.json()).toEqual({ views: 2 });
  });

  it("exposes its manager, and refuses a bad option at startup", async () => {
    const { hono, sessions } = app();
    hono.post("/login", (c) => {
      c.get("session").owner = "ann";
      return c.text("ok");
    });
    await hono.request("/login", { method: "POST" });
    expect(await sessions.manager.listSessions("ann")).toHaveLength(1);
    expect(() => session({ secrets: [SECRET_A], proxy: "yes" as unknown as boolean })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG" }),
    );
  });
});
