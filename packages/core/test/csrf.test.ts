/**
 * CSRF protection bound to the session: the secret (created on first use, hidden like the flash
 * values, replaced at login), masked tokens, and `checkCsrf`'s decision for each kind of request.
 * Runs in Node and in the edge runtime.
 */
import { describe, expect, it } from "vitest";
import { CSRF_TOKEN_LENGTH } from "../src/csrf-token.js";
import {
  type CsrfRequest,
  checkCsrf,
  csrfPolicy,
  csrfRejection,
  isSessionError,
  type Session,
  SessionError,
  sealedCookieStore,
} from "../src/index.js";
import { isUrlEncodedForm, readUrlEncodedForm } from "../src/internal.js";
import { CSRF_KEY, visibleData } from "../src/reserved-keys.js";
import { bindSession } from "../src/session-view.js";
import { harness } from "./helpers.js";

const APP = "https://app.example";

/** An unsafe same-origin request as a current browser sends it, with `token`. */
function post(token: string | null, overrides: Partial<CsrfRequest> = {}): CsrfRequest {
  return { method: "POST", url: `${APP}/login`, origin: APP, secFetchSite: "same-origin", token, ...overrides };
}

async function sessionWithToken(): Promise<{ session: Session; token: string }> {
  const h = harness();
  let token = "";
  const { session } = await h.request((s) => {
    token = s.csrfToken();
  });
  return { session, token };
}

describe("session.csrfToken()", () => {
  it("gives a different base64url token on every call, and each one verifies", async () => {
    const h = harness();
    await h.request((s) => {
      // More than one refill of the mask pool (64 masks per refill).
      const tokens = Array.from({ length: 150 }, () => s.csrfToken());
      expect(new Set(tokens).size).toBe(150);
      expect(new Set(tokens.map((token) => token.slice(0, 43))).size).toBe(150); // the masks themselves differ
      for (const token of tokens) {
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(token).toHaveLength(CSRF_TOKEN_LENGTH);
        expect(checkCsrf(post(token), s)).toEqual({ ok: true });
      }
    });
  });

  it("creates the secret on first use, which makes the session stored (login CSRF needs a pre-login session)", async () => {
    const h = harness();
    const first = await h.request((s) => void s.csrfToken());
    expect(first.setCookies).toHaveLength(1);
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    const record = (await h.memory.get(first.session.id)) as { data: Record<string, unknown> };
    expect(typeof record.data[CSRF_KEY]).toBe("string");
  });

  it("keeps the same secret across requests: a token rendered on one request verifies on the next", async () => {
    const h = harness();
    let token = "";
    await h.request((s) => {
      token = s.csrfToken();
    });
    const writesBefore = h.store.writes().length;
    await h.request((s) => {
      expect(checkCsrf(post(token), s)).toEqual({ ok: true });
      s.csrfToken(); // masking again changes nothing stored
    });
    expect(h.store.writes().length).toBe(writesBefore);
  });

  it("works with the sealed-cookie store (the secret travels sealed in the cookie)", async () => {
    const h = harness({ store: sealedCookieStore() });
    let token = "";
    await h.request((s) => {
      token = s.csrfToken();
    });
    expect(h.cookie).not.toContain(token.slice(0, 20));
    await h.request((s) => expect(checkCsrf(post(token), s)).toEqual({ ok: true }));
  });

  it("hides the secret from keys(), has(), get(), toJSON() and JSON, and reserves its key", async () => {
    const { session } = await sessionWithToken();
    session.set("user", "ann");
    expect(session.keys()).toEqual(["user"]);
    expect(session.has(CSRF_KEY as never)).toBe(false);
    expect(session.get(CSRF_KEY as never)).toBeUndefined();
    expect(session.toJSON()).toEqual({ user: "ann" });
    expect(JSON.stringify(session)).toBe('{"user":"ann"}');
    let error: unknown;
    try {
      session.set(CSRF_KEY as never, "planted" as never);
    } catch (caught) {
      error = caught;
    }
    expect(isSessionError(error) && error.code).toBe("INVALID_ARGUMENT");
    expect(() => session.unset(CSRF_KEY as never)).toThrow(/reserved for the CSRF secret/);
  });

  it("hides the secret from the object view (property walks, `in`, JSON) and offers csrfToken() on it", async () => {
    const h = harness();
    const { session } = await h.request((s) => void s.set("user", "ann").csrfToken());
    const view = bindSession(h.manager, session, { appendSetCookie: () => {} }).view;
    expect(Object.keys(view)).toEqual(["user"]);
    expect(CSRF_KEY in view).toBe(false);
    expect((view as Record<string, unknown>)[CSRF_KEY]).toBeUndefined();
    expect(JSON.stringify(view)).toBe('{"user":"ann"}');
    expect({ ...view }).toEqual({ user: "ann" });
    const token = view.csrfToken();
    expect(checkCsrf(post(token), session)).toEqual({ ok: true });
    expect(() => {
      (view as Record<string, unknown>).csrfToken = "x";
    }).toThrow(/session member/);
  });

  it("visibleData() (for listSessions) leaves out the secret, the flash values and the login bookkeeping", () => {
    expect(visibleData({ user: "ann", "~flash": { n: 1 }, [CSRF_KEY]: "s", "~login": { restored: true } })).toEqual({ user: "ann" });
  });

  it("listSessions() shows the app's data only: no CSRF secret, no flash values", async () => {
    const h = harness();
    await h.request((s) => {
      s.owner = "ann";
      s.set("theme", "dark").flash("notice", "hi");
      s.csrfToken();
    });
    const [listed] = await h.manager.listSessions("ann");
    expect(listed?.data).toEqual({ theme: "dark" });
    expect(JSON.stringify(listed)).not.toContain(CSRF_KEY);
  });

  it("regenerate() at login replaces the secret: tokens from before the login no longer verify", async () => {
    const h = harness();
    let before = "";
    await h.request((s) => {
      before = s.set("visits", 1).csrfToken();
    });
    await h.request((s) => {
      expect(checkCsrf(post(before), s)).toEqual({ ok: true });
      s.regenerate();
      expect(checkCsrf(post(before), s)).toEqual({ ok: false, reason: "bad-token" });
      s.set("user", "ann");
    });
    let after = "";
    await h.request((s) => {
      expect(checkCsrf(post(before), s)).toEqual({ ok: false, reason: "bad-token" });
      after = s.csrfToken();
    });
    await h.request((s) => expect(checkCsrf(post(after), s)).toEqual({ ok: true }));
  });

  it("regenerate({ keepData: true }) carries the data but never the secret (a planted session's secret is known to its planter)", async () => {
    const h = harness();
    let planted = "";
    await h.request((s) => {
      planted = s.set("cart", ["tea"]).csrfToken();
    });
    await h.request((s) => {
      s.regenerate({ keepData: true });
      s.owner = "ann";
    });
    await h.request((s) => {
      expect(s.get("cart")).toEqual(["tea"]);
      expect(checkCsrf(post(planted), s)).toEqual({ ok: false, reason: "bad-token" });
    });
    const records = (await h.memory.listByOwner?.("ann")) ?? [];
    expect(records).toHaveLength(1);
    expect(Object.keys(records[0]?.record.data ?? {})).toEqual(["cart"]);
  });

  it("destroy() drops the secret: the logged-out session's new tokens are new", async () => {
    const h = harness();
    let before = "";
    await h.request((s) => {
      before = s.csrfToken();
    });
    await h.request((s) => {
      s.destroy();
      expect(checkCsrf(post(before), s)).toEqual({ ok: false, reason: "bad-token" });
    });
  });
});

describe("checkCsrf(request, session, options)", () => {
  it("lets safe methods through without a token (GET, HEAD, OPTIONS, TRACE), even cross-site", async () => {
    const { session } = await sessionWithToken();
    for (const method of ["GET", "HEAD", "OPTIONS", "TRACE", "get"]) {
      expect(checkCsrf(post(null, { method, secFetchSite: "cross-site", origin: "https://evil.example" }), session)).toEqual({ ok: true });
    }
  });

  it("checks every other method, in any case", async () => {
    const { session } = await sessionWithToken();
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post", "PROPFIND"]) {
      expect(checkCsrf(post(null, { method }), session)).toEqual({ ok: false, reason: "missing-token" });
    }
  });

  it("refuses Sec-Fetch-Site: cross-site and same-site, even with a valid token", async () => {
    const { session, token } = await sessionWithToken();
    for (const secFetchSite of ["cross-site", "same-site", "Cross-Site"]) {
      expect(checkCsrf(post(token, { secFetchSite, origin: "https://evil.example" }), session)).toEqual({
        ok: false,
        reason: "cross-origin",
      });
    }
    // A browser hiding Origin (a form from a page with `Referrer-Policy: no-referrer` still sends it; some old ones did not).
    expect(checkCsrf(post(token, { secFetchSite: "cross-site", origin: null }), session)).toEqual({ ok: false, reason: "cross-origin" });
  });

  it("trusts Sec-Fetch-Site: same-origin and none (and then only the token decides)", async () => {
    const { session, token } = await sessionWithToken();
    expect(checkCsrf(post(token, { secFetchSite: "none", origin: null }), session)).toEqual({ ok: true });
    expect(checkCsrf(post(token, { secFetchSite: "same-origin", origin: "http://app.example:8080" }), session)).toEqual({ ok: true });
    expect(checkCsrf(post("x", { secFetchSite: "same-origin" }), session)).toEqual({ ok: false, reason: "bad-token" });
  });

  it("without Sec-Fetch-Site, compares Origin with the request's own origin (scheme, host and port)", async () => {
    const { session, token } = await sessionWithToken();
    const noFetchMetadata = { secFetchSite: null };
    expect(checkCsrf(post(token, { ...noFetchMetadata, origin: APP }), session)).toEqual({ ok: true });
    for (const origin of ["https://evil.example", "http://app.example", "https://app.example:8443", "null"]) {
      expect(checkCsrf(post(token, { ...noFetchMetadata, origin }), session)).toEqual({ ok: false, reason: "cross-origin" });
    }
    expect(
      checkCsrf(post(token, { ...noFetchMetadata, url: "http://127.0.0.1:3000/x", origin: "http://127.0.0.1:3000" }), session),
    ).toEqual({
      ok: true,
    });
  });

  it("without Sec-Fetch-Site nor Origin (not a browser), requires the token", async () => {
    const { session, token } = await sessionWithToken();
    expect(checkCsrf(post(token, { secFetchSite: null, origin: null }), session)).toEqual({ ok: true });
    expect(checkCsrf(post(null, { secFetchSite: null, origin: null }), session)).toEqual({ ok: false, reason: "missing-token" });
  });

  it("trustedOrigins lets another origin's requests through to the token check (cross-site or not)", async () => {
    const { session, token } = await sessionWithToken();
    const options = { trustedOrigins: ["https://admin.example"] };
    expect(checkCsrf(post(token, { origin: "https://admin.example", secFetchSite: "cross-site" }), session, options)).toEqual({ ok: true });
    expect(checkCsrf(post(token, { origin: "https://admin.example", secFetchSite: "same-site" }), session, options)).toEqual({ ok: true });
    expect(checkCsrf(post(token, { origin: "https://admin.example", secFetchSite: null }), session, options)).toEqual({ ok: true });
    expect(checkCsrf(post(null, { origin: "https://admin.example", secFetchSite: "cross-site" }), session, options)).toEqual({
      ok: false,
      reason: "missing-token",
    });
    expect(checkCsrf(post(token, { origin: "https://evil.example", secFetchSite: "cross-site" }), session, options)).toEqual({
      ok: false,
      reason: "cross-origin",
    });
  });

  it("ignorePaths: exact paths (the query does not matter) or a predicate", async () => {
    const { session } = await sessionWithToken();
    const hook = { url: `${APP}/webhook?sig=1`, secFetchSite: "cross-site", origin: "https://evil.example" };
    expect(checkCsrf(post(null, hook), session, { ignorePaths: ["/webhook"] })).toEqual({ ok: true });
    expect(checkCsrf(post(null, { ...hook, url: `${APP}/webhook/x` }), session, { ignorePaths: ["/webhook"] })).toEqual({
      ok: false,
      reason: "cross-origin",
    });
    const byPrefix = { ignorePaths: (path: string) => path.startsWith("/api/hooks/") };
    expect(checkCsrf(post(null, { ...hook, url: `${APP}/api/hooks/stripe` }), session, byPrefix)).toEqual({ ok: true });
    expect(checkCsrf(post(null, hook), session, byPrefix)).toEqual({ ok: false, reason: "cross-origin" });
  });

  it("ignoreMethods replaces the list of unchecked methods", async () => {
    const { session } = await sessionWithToken();
    expect(checkCsrf(post(null, { method: "GET" }), session, { ignoreMethods: ["HEAD"] })).toEqual({ ok: false, reason: "missing-token" });
    expect(checkCsrf(post(null, { method: "REPORT" }), session, { ignoreMethods: ["report"] })).toEqual({ ok: true });
  });

  it("refuses a token of another session, a tampered one, the wrong shape, and any token when the session has no secret", async () => {
    const { session, token } = await sessionWithToken();
    const other = await sessionWithToken();
    expect(checkCsrf(post(other.token), session)).toEqual({ ok: false, reason: "bad-token" });
    const flipped = (token.charAt(50) === "A" ? "B" : "A") as string;
    expect(checkCsrf(post(token.slice(0, 50) + flipped + token.slice(51)), session)).toEqual({ ok: false, reason: "bad-token" });
    for (const bad of [token.slice(1), `${token}A`, `${token.slice(0, -1)}!`, "x".repeat(CSRF_TOKEN_LENGTH)]) {
      expect(checkCsrf(post(bad), session)).toEqual({ ok: false, reason: "bad-token" });
    }
    expect(checkCsrf(post(""), session)).toEqual({ ok: false, reason: "missing-token" });

    const h = harness();
    const { session: fresh } = await h.request((s) => {
      expect(checkCsrf(post(token), s)).toEqual({ ok: false, reason: "bad-token" });
    });
    expect(fresh.isNew).toBe(true); // checking created no secret, so nothing was stored
    expect(h.store.writes()).toEqual([]);
  });

  it("the stored secret itself is not a token (a leaked store record alone forges nothing unmasked)", async () => {
    const h = harness();
    const { session } = await h.request((s) => void s.csrfToken());
    const record = (await h.memory.get(session.id)) as { data: Record<string, string> };
    const secretText = record.data[CSRF_KEY] as string;
    expect(secretText).toHaveLength(43);
    await h.request((s) => expect(checkCsrf(post(secretText), s)).toEqual({ ok: false, reason: "bad-token" }));
  });

  it("takes only a session from manager.load(): anything else is INVALID_ARGUMENT", async () => {
    expect(() => checkCsrf(post("x"), { csrfToken: () => "x" } as unknown as Session)).toThrow(SessionError);
  });
});

describe("csrfPolicy(options): the option, checked once", () => {
  it("fails loudly on unknown option names, with the closest known one", () => {
    expect(() => csrfPolicy({ trustedOrigin: ["https://a.example"] } as never, "express")).toThrow(
      /unknown option `trustedOrigin`; did you mean `trustedOrigins`\?/,
    );
    try {
      csrfPolicy({ header: "x" } as never);
    } catch (error) {
      expect(isSessionError(error) && error.code).toBe("INVALID_CONFIG");
    }
  });

  it("refuses origins that a browser would never send, naming the fix", () => {
    expect(() => csrfPolicy({ trustedOrigins: ["https://a.example/"] })).toThrow(/did you mean "https:\/\/a.example"\?/);
    expect(() => csrfPolicy({ trustedOrigins: ["a.example"] })).toThrow(/INVALID|origins as browsers send them/);
    expect(() => csrfPolicy({ trustedOrigins: "https://a.example" as never })).toThrow(/array of non-empty strings/);
  });

  it("refuses bad names, paths and kinds of value", () => {
    expect(() => csrfPolicy({ headerName: "x csrf" })).toThrow(/not a valid header name/);
    expect(() => csrfPolicy({ fieldName: "" })).toThrow(/non-empty string/);
    expect(() => csrfPolicy({ ignorePaths: ["webhook"] })).toThrow(/paths such as "\/webhook"/);
    expect(() => csrfPolicy({ ignoreMethods: "GET" as never })).toThrow(/array/);
    expect(() => csrfPolicy(false as never)).toThrow(/takes true, false or an object/);
  });

  it("applies the defaults, lower-cases the header name, and passes a policy through unchanged", () => {
    const policy = csrfPolicy(true);
    expect([policy.headerName, policy.fieldName]).toEqual(["x-csrf-token", "_csrf"]);
    expect(csrfPolicy({ headerName: "X-XSRF-Token" }).headerName).toBe("x-xsrf-token");
    expect(csrfPolicy(policy as never)).toBe(policy);
    expect(policy.protects("POST", "/")).toBe(true);
    expect(policy.protects("get", "/")).toBe(false);
  });
});

describe("csrfRejection(reason): the adapters' typed error", () => {
  it("is a SessionError with code CSRF_REJECTED, status 403 and the reason", () => {
    const error = csrfRejection("cross-origin", "express");
    expect(error).toBeInstanceOf(SessionError);
    expect(isSessionError(error)).toBe(true);
    expect([error.code, error.status, error.reason]).toEqual(["CSRF_REJECTED", 403, "cross-origin"]);
    expect(error.message).toMatch(/^\[tessera\] \[express\] CSRF check refused the request: it came from another site/);
    expect(csrfRejection("missing-token").message).toMatch(/no CSRF token/);
    expect(csrfRejection("bad-token").message).toMatch(/does not belong to this session/);
  });
});

describe("readUrlEncodedForm / isUrlEncodedForm (the form field before the app's parser)", () => {
  async function* chunks(...parts: Array<string | Uint8Array>) {
    for (const part of parts) yield part;
  }

  it("decodes a form split across chunks (also inside a multi-byte character), repeated fields as arrays", async () => {
    const bytes = new TextEncoder().encode("name=J%C3%B6rg+M&_csrf=abc&tag=a&tag=b&note=é");
    const form = await readUrlEncodedForm(chunks(bytes.subarray(0, 45), bytes.subarray(45)));
    expect({ ...form }).toEqual({ name: "Jörg M", _csrf: "abc", tag: ["a", "b"], note: "é" });
    expect(Object.getPrototypeOf(form)).toBeNull();
  });

  it("fails with status 413 past the limit", async () => {
    const error = await readUrlEncodedForm(chunks("a=".padEnd(60, "x"), "b".repeat(60)), 100).catch((caught: unknown) => caught);
    expect(isSessionError(error) && [error.code, error.status]).toEqual(["INVALID_ARGUMENT", 413]);
  });

  it("recognises the form content type with parameters, in any case, and nothing else", () => {
    expect(isUrlEncodedForm("application/x-www-form-urlencoded")).toBe(true);
    expect(isUrlEncodedForm("Application/X-WWW-Form-Urlencoded; charset=UTF-8")).toBe(true);
    for (const other of ["text/plain", "multipart/form-data; boundary=x", "application/json", "", null, undefined]) {
      expect(isUrlEncodedForm(other)).toBe(false);
    }
  });
});
