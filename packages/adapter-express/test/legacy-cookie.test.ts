/**
 * express-session's signed cookie (`expressSessionCookie`): signed and verified exactly as the
 * real cookie-signature and express-session do, so a Tessera manager reads the `connect.sid`
 * cookies of a real express-session app on the same store (nobody logged out at the switch), and
 * a real express-session app reads the cookies a Tessera manager writes in that format.
 *
 * express-session is loaded through `require` with a local type: importing it would load
 * `@types/express-session` into this test program, which then retypes `req.session` everywhere.
 */
import { createRequire } from "node:module";
import { serveNode } from "@tessera/adapter-test-suite";
import { createSessionManager, isSessionError, memoryStore, migratingStore, type Session, SessionError } from "@tessera/core";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { bridgeStore, type ExpressSessionStore } from "../src/compat/store-bridge.js";
import { expressSessionCookie } from "../src/express-session-cookie.js";

/** The part of express-session's module these tests use. */
interface ExpressSessionModule {
  (options: {
    secret: string | Buffer | Array<string | Buffer>;
    store: ExpressSessionStore;
    resave: boolean;
    saveUninitialized: boolean;
  }): express.RequestHandler;
  MemoryStore: new () => ExpressSessionStore & { sessions: Record<string, string> };
}
/** cookie-signature, the module express-session signs its cookie with. */
interface CookieSignature {
  sign(value: string, secret: string | Buffer): string;
  unsign(value: string, secret: string | Buffer): string | false;
}

const require = createRequire(import.meta.url);
const expressSession = require("express-session") as ExpressSessionModule;
const cookieSignature = createRequire(require.resolve("express-session"))("cookie-signature") as CookieSignature;

/** express-session's IDs: 24 random bytes as base64url (uid-safe), 32 characters. */
function uidSafeId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
}

const LEGACY_SECRET = "keyboard cat";
const TESSERA_SECRET = "a tessera secret of at least 32 characters";

describe("expressSessionCookie: the format", () => {
  const secrets = [LEGACY_SECRET, Buffer.from([0, 1, 2, 254, 255]), "x"];

  it("signs exactly as cookie-signature, then percent-encodes as express-session's Set-Cookie (string and Buffer secrets, any length)", () => {
    for (const secret of secrets) {
      const format = expressSessionCookie(secret);
      for (let i = 0; i < 50; i++) {
        const id = uidSafeId();
        const signed = `s:${cookieSignature.sign(id, secret)}`;
        expect(format.sign(id)).toBe(encodeURIComponent(signed));
        expect(format.sign(id)).toMatch(/^s%3A[A-Za-z0-9_-]{32}\.[A-Za-z0-9%]+$/);
      }
    }
  });

  it("verifies what cookie-signature signs with any secret of the list; stale unless the first", () => {
    const format = expressSessionCookie(secrets);
    for (const [index, secret] of secrets.entries()) {
      const id = uidSafeId();
      const cookie = encodeURIComponent(`s:${cookieSignature.sign(id, secret)}`);
      expect(format.verify(cookie)).toEqual({ id, stale: index > 0 });
    }
  });

  it("accepts exactly what cookie-signature's unsign accepts", () => {
    const format = expressSessionCookie(LEGACY_SECRET);
    const id = uidSafeId();
    const signed = cookieSignature.sign(id, LEGACY_SECRET);
    const mac = signed.slice(signed.lastIndexOf(".") + 1);
    const variants = [
      signed,
      `${signed}=`,
      signed.slice(0, -1),
      `${signed.slice(0, -1)}${signed.endsWith("A") ? "B" : "A"}`,
      `${signed.slice(0, -1)}Ł`,
      `${id}x.${mac}`,
      `${id.toUpperCase()}.${mac}`,
      cookieSignature.sign(id, "another secret"),
      `.${mac}`,
      id,
      "",
    ];
    for (const variant of variants) {
      const expected = cookieSignature.unsign(variant, LEGACY_SECRET);
      const found = format.verify(encodeURIComponent(`s:${variant}`));
      expect(found?.id ?? false).toBe(expected);
    }
    // Without the `s:` prefix express-session treats the cookie as unsigned and ignores it.
    expect(format.verify(encodeURIComponent(signed))).toBeNull();
    expect(format.verify(signed)).toBeNull();
  });

  it("reads the value as express-session's cookie parser does: percent-encoded, raw, or in double quotes", () => {
    const format = expressSessionCookie(LEGACY_SECRET);
    const id = uidSafeId();
    const raw = `s:${cookieSignature.sign(id, LEGACY_SECRET)}`;
    for (const value of [encodeURIComponent(raw), raw, `"${encodeURIComponent(raw)}"`, raw.replace(":", "%3a")]) {
      expect(format.verify(value)?.id).toBe(id);
    }
    expect(format.verify(`${encodeURIComponent(raw)}%`)).toBeNull();
  });

  it("refuses a missing or empty secret with INVALID_CONFIG", () => {
    for (const bad of [[], "", [LEGACY_SECRET, ""], Buffer.alloc(0), [42], undefined]) {
      try {
        expressSessionCookie(bad as never);
        expect.unreachable();
      } catch (error) {
        expect(isSessionError(error) && error.code).toBe("INVALID_CONFIG");
      }
    }
  });
});

describe("a real express-session app and a Tessera manager on one store", () => {
  const running: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  type Data = { user: string; views: number };

  /** express-session on `store`, with the usual options of an app that logs users in. */
  async function startExpressSession(store: ExpressSessionStore) {
    const app = express();
    app.use(expressSession({ secret: LEGACY_SECRET, store, resave: false, saveUninitialized: false }));
    const data = (req: express.Request) => req.session as unknown as Record<string, unknown>;
    app.get("/login", (req, res) => {
      data(req).user = "ada";
      res.send("ok");
    });
    app.get("/whoami", (req, res) => {
      res.send(String(data(req).user ?? "nobody"));
    });
    app.get("/view", (req, res) => {
      const s = data(req);
      s.views = ((s.views as number | undefined) ?? 0) + 1;
      res.send(String(s.views));
    });
    const served = await serveNode(app);
    running.push(served);
    return served;
  }

  /** Runs one request through the manager: load with `cookie`, `handle`, commit; returns the Set-Cookie lines. */
  async function tesseraRequest(
    manager: ReturnType<typeof createSessionManager<Data>>,
    cookie: string | null,
    handle: (session: Session<Data>) => void = () => {},
  ) {
    const session = await manager.load({ cookieHeader: cookie });
    handle(session);
    const lines: string[] = [];
    await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    return { session, lines };
  }

  const pairOf = (line: string | null | undefined) => (line ? line.split(";")[0] : undefined);

  it("a user logged in by express-session is logged in on Tessera, and the cookie moves to Tessera's format", async () => {
    const store = new expressSession.MemoryStore();
    const legacy = await startExpressSession(store);
    const login = await fetch(`${legacy.url}/login`);
    const legacyCookie = pairOf(login.headers.getSetCookie()[0]) as string;
    expect(legacyCookie).toMatch(/^connect\.sid=s%3A[A-Za-z0-9_-]{32}\./);
    const [legacyId] = Object.keys(store.sessions);

    const manager = createSessionManager<Data>({
      secrets: [TESSERA_SECRET],
      store: bridgeStore(store),
      cookie: { name: "connect.sid" },
      tokenFormats: [expressSessionCookie(LEGACY_SECRET)],
    });
    const first = await tesseraRequest(manager, `theme=dark; ${legacyCookie}`);
    expect(first.session.isNew).toBe(false);
    expect(first.session.id).toBe(legacyId);
    expect(first.session.get("user")).toBe("ada");
    expect(first.lines).toHaveLength(1);
    const tesseraCookie = pairOf(first.lines[0]) as string;
    expect(tesseraCookie).toMatch(new RegExp(`^connect\\.sid=[A-Za-z0-9_-]{8}\\.${legacyId}\\.[A-Za-z0-9_-]{43}$`));

    const second = await tesseraRequest(manager, tesseraCookie, (s) => s.set("views", 1));
    expect(second.session.get("user")).toBe("ada");
    expect(second.lines).toEqual([]);
    expect(Object.keys(store.sessions)).toEqual([legacyId]);
  });

  it("a cookie express-session signed with another secret, or tampered with, is not read", async () => {
    const store = new expressSession.MemoryStore();
    const legacy = await startExpressSession(store);
    const legacyCookie = pairOf((await fetch(`${legacy.url}/login`)).headers.getSetCookie()[0]) as string;
    const manager = createSessionManager<Data>({
      secrets: [TESSERA_SECRET],
      store: bridgeStore(store),
      cookie: { name: "connect.sid" },
      tokenFormats: [expressSessionCookie("not the app's secret")],
    });
    expect((await tesseraRequest(manager, legacyCookie)).session.isNew).toBe(true);
    const tampered = legacyCookie.replace(/\.([A-Za-z0-9])/, (_match, c: string) => `.${c === "A" ? "B" : "A"}`);
    const right = createSessionManager<Data>({
      secrets: [TESSERA_SECRET],
      store: bridgeStore(store),
      cookie: { name: "connect.sid" },
      tokenFormats: [expressSessionCookie(LEGACY_SECRET)],
    });
    expect((await tesseraRequest(right, tampered)).session.isNew).toBe(true);
    expect((await tesseraRequest(right, legacyCookie)).session.get("user")).toBe("ada");
  });

  it("with writeTokenFormat, express-session reads the cookie Tessera writes, and alternating requests keep one session", async () => {
    const store = new expressSession.MemoryStore();
    const legacy = await startExpressSession(store);
    const format = expressSessionCookie(LEGACY_SECRET);
    const manager = createSessionManager<Data>({
      secrets: [TESSERA_SECRET],
      store: bridgeStore(store),
      cookie: { name: "connect.sid" },
      writeTokenFormat: format,
    });
    const created = await tesseraRequest(manager, null, (s) => s.set("user", "grace"));
    const cookie = pairOf(created.lines[0]) as string;
    expect(cookie).toBe(`connect.sid=${format.sign(created.session.id)}`);
    expect(await (await fetch(`${legacy.url}/whoami`, { headers: { cookie } })).text()).toBe("grace");

    // One browser, its requests served in turn by express-session and by Tessera.
    const served: string[] = [];
    for (let i = 1; i <= 6; i++) {
      if (i % 2 === 1) {
        const response = await fetch(`${legacy.url}/view`, { headers: { cookie } });
        served.push(await response.text());
        // express-session re-sends the cookie of a modified session whose record has an expiry:
        // the very value Tessera wrote.
        for (const line of response.headers.getSetCookie()) expect(pairOf(line)).toBe(cookie);
      } else {
        const exchange = await tesseraRequest(manager, cookie, (s) => s.set("views", (s.get("views") ?? 0) + 1));
        served.push(String(exchange.session.get("views")));
        expect(exchange.lines).toEqual([]);
      }
    }
    expect(served).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(Object.keys(store.sessions)).toEqual([created.session.id]);
  });

  it("the whole switch at once: express-session's cookie read, its session moved to a Tessera store, the cookie re-issued", async () => {
    const legacyStore = new expressSession.MemoryStore();
    const legacy = await startExpressSession(legacyStore);
    const legacyCookie = pairOf((await fetch(`${legacy.url}/login`)).headers.getSetCookie()[0]) as string;
    const [legacyId] = Object.keys(legacyStore.sessions);
    const native = memoryStore();
    const manager = createSessionManager<Data>({
      secrets: [TESSERA_SECRET],
      store: migratingStore({ to: native, from: bridgeStore(legacyStore) }),
      cookie: { name: "connect.sid" },
      tokenFormats: [expressSessionCookie(LEGACY_SECRET)],
    });
    const first = await tesseraRequest(manager, legacyCookie, (s) => s.set("views", 1));
    expect(first.session.get("user")).toBe("ada");
    expect(Object.keys(legacyStore.sessions)).toEqual([]);
    expect((await native.get(legacyId as string))?.data).toEqual({ user: "ada", views: 1 });
    const tesseraCookie = pairOf(first.lines[0]) as string;
    expect(tesseraCookie).toContain(`.${legacyId}.`);
    const second = await tesseraRequest(manager, tesseraCookie);
    expect(second.session.get("views")).toBe(1);
    // Logging out removes it from the new store; the old one no longer has it to bring back.
    const logout = await tesseraRequest(manager, tesseraCookie, (s) => s.destroy());
    expect(logout.lines[0]).toMatch(/^connect\.sid=;/);
    expect(native.size).toBe(0);
    expect((await tesseraRequest(manager, legacyCookie)).session.isNew).toBe(true);
  });

  it("a manager writing express-session's format refuses a sealed-cookie store at startup", async () => {
    const { sealedCookieStore } = await import("@tessera/core");
    expect(() =>
      createSessionManager({
        secrets: [TESSERA_SECRET],
        store: sealedCookieStore(),
        writeTokenFormat: expressSessionCookie(LEGACY_SECRET),
      }),
    ).toThrow(SessionError);
  });
});
