/**
 * The `csrf` option on Hono: the shared scenarios on @hono/node-server (the handler reads the
 * form with `c.req.parseBody()` after the middleware read it: Hono caches it), then what is
 * particular to Hono: the refusal is an `HTTPException` 403 whose `cause` is the typed error, a
 * multipart form's field counts, and the token works through `app.request` (no server).
 */
import { getRequestListener } from "@hono/node-server";
import { serveNode, testCsrf } from "@tessera/adapter-test-suite";
import type { CsrfOptions } from "@tessera/core";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { isSessionError, type SessionEnv, session } from "../src/index.js";

const SECRET = "csrf-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

function csrfApp(csrf: true | CsrfOptions) {
  const app = new Hono<SessionEnv>();
  app.use(session({ secrets: [SECRET], csrf }));
  app.get("/token", (c) => c.json({ token: c.get("session").csrfToken() }));
  app.get("/tokens", (c) => {
    const s = c.get("session");
    return c.json({ tokens: [s.csrfToken(), s.csrfToken(), s.csrfToken()] });
  });
  app.post("/echo", async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (type.startsWith("application/json")) return c.json({ ok: true, body: await c.req.json() });
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      return c.json({ ok: true, body: await c.req.parseBody() });
    }
    return c.json({ ok: true, body: null });
  });
  app.post("/webhook", (c) => c.json({ ok: true }));
  app.onError((error, c) => {
    if (error instanceof HTTPException && isSessionError(error.cause)) {
      const cause = error.cause as { name: string; code: string; reason?: string };
      return c.json({ error: cause.name, code: cause.code, reason: cause.reason }, error.status);
    }
    return c.json({ error: error.name }, 500);
  });
  return app;
}

testCsrf("hono on @hono/node-server", { start: (csrf) => serveNode(getRequestListener(csrfApp(csrf).fetch)) });

describe("csrf option: Hono specifics", () => {
  async function tokenAndCookie(app: Hono<SessionEnv>) {
    const response = await app.request("http://app.test/token");
    const cookie = (response.headers.getSetCookie()[0] as string).split(";")[0] as string;
    return { cookie, token: ((await response.json()) as { token: string }).token };
  }

  it("a refusal is an HTTPException 403 with the CSRF_REJECTED SessionError as cause, for onError", async () => {
    const app = new Hono<SessionEnv>();
    app.use(session({ secrets: [SECRET], csrf: true }));
    app.post("/x", (c) => c.text("reached"));
    let seen: unknown;
    app.onError((error, c) => {
      seen = error;
      return c.text("refused", error instanceof HTTPException ? error.status : 500);
    });
    const response = await app.request("http://app.test/x", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(seen).toBeInstanceOf(HTTPException);
    const cause = (seen as HTTPException).cause;
    expect(isSessionError(cause) && [cause.code, cause.status, (cause as unknown as { reason: string }).reason]).toEqual([
      "CSRF_REJECTED",
      403,
      "cross-origin",
    ]);
  });

  it("the middleware's parseBody() is cached: the handler's parseBody() and formData() read the same fields", async () => {
    const app = new Hono<SessionEnv>();
    app.use(session({ secrets: [SECRET], csrf: true }));
    app.get("/token", (c) => c.json({ token: c.get("session").csrfToken() }));
    app.post("/x", async (c) => {
      const parsed = await c.req.parseBody();
      const form = await c.req.formData();
      return c.json({ parsed, fromFormData: form.get("name") });
    });
    const { cookie, token } = await tokenAndCookie(app);
    const response = await app.request("http://app.test/x", {
      method: "POST",
      headers: { cookie, origin: "http://app.test", "content-type": "application/x-www-form-urlencoded" },
      body: `name=ann&_csrf=${token}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ parsed: { name: "ann", _csrf: token }, fromFormData: "ann" });
  });

  it("a multipart form's _csrf field counts (Hono parses multipart itself)", async () => {
    const app = csrfApp(true);
    const { cookie, token } = await tokenAndCookie(app);
    const form = new FormData();
    form.set("name", "ann");
    form.set("_csrf", token);
    const response = await app.request("http://app.test/echo", {
      method: "POST",
      headers: { cookie, origin: "http://app.test" },
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, body: { name: "ann", _csrf: token } });
    form.set("_csrf", "forged");
    const forged = await app.request("http://app.test/echo", {
      method: "POST",
      headers: { cookie, origin: "http://app.test" },
      body: form,
    });
    expect(forged.status).toBe(403);
  });

  it("behind a TLS proxy (proxy: true), the request's origin is https: an https Origin of the same host passes", async () => {
    const app = new Hono<SessionEnv>();
    app.use(session({ secrets: [SECRET], csrf: true, proxy: true }));
    app.get("/token", (c) => c.json({ token: c.get("session").csrfToken() }));
    app.post("/x", (c) => c.text("ok"));
    const { cookie, token } = await tokenAndCookie(app);
    const headers = { cookie, "x-csrf-token": token, "x-forwarded-proto": "https" };
    expect((await app.request("http://app.test/x", { method: "POST", headers: { ...headers, origin: "https://app.test" } })).status).toBe(
      200,
    );
    expect((await app.request("http://app.test/x", { method: "POST", headers: { ...headers, origin: "http://app.test" } })).status).toBe(
      403,
    );
  });

  it("unknown csrf option names fail at startup with INVALID_CONFIG", () => {
    expect(() => session({ secrets: [SECRET], csrf: { ignorePath: ["/x"] } as never })).toThrow(/did you mean `ignorePaths`/);
  });
});
