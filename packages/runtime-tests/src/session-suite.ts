/**
 * The portable session suite: the whole lifecycle through a Hono app, for one store. It uses
 * only Web-standard APIs (fetch types, Web Crypto through the core), so the same bundle runs on
 * workerd, Bun, Deno and Node.
 */
import { memoryStore, type SessionManagerOptions, type Store, sealedCookieStore } from "@tessera/core";
import { barrier, type SessionView, sessionApp } from "./app.js";
import * as assert from "./assert.js";
import { Browser, cookiePair, isClearing } from "./browser.js";
import { defineSuite, type TestSuite } from "./runner.js";

export const SECRET_A = "runtime-suite-secret-a-0123456789abcdefghijkl";
export const SECRET_B = "runtime-suite-secret-b-0123456789abcdefghijkl";
export const SECRET_C = "runtime-suite-secret-c-0123456789abcdefghijkl";
const COOKIE = "tessera.sid";

/** How a suite gets a fresh store, and what kind of store it is. */
export interface StoreKind {
  readonly name: string;
  /** Records live on the server (revocable); `false` for the sealed-cookie store. */
  readonly serverSide: boolean;
  create(now: () => number): Store;
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: "memory", serverSide: true, create: (now) => memoryStore({ now }) },
  { name: "sealed-cookie", serverSide: false, create: () => sealedCookieStore() },
];

/** A clock that moves only when told to, starting at a fixed, realistic instant. */
function fakeClock() {
  let current = Date.UTC(2026, 10, 25, 12, 0, 0);
  return {
    now: () => current,
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
  };
}

/** One session line of a response: exactly one `Set-Cookie` for the session cookie. */
function sessionLine(setCookies: readonly string[]): string {
  const lines = setCookies.filter((line) => cookiePair(line).name === COOKIE);
  assert.equal(lines.length, 1, `one Set-Cookie for ${COOKIE} expected, got ${JSON.stringify(setCookies)}`);
  return lines[0] as string;
}

function assertFresh(exchange: { status: number; body: SessionView }, what: string): void {
  assert.equal(exchange.status, 200, `${what}: status`);
  assert.equal(exchange.body.isNew, true, `${what}: a new session`);
  assert.deepEqual(exchange.body.data, {}, `${what}: no data`);
}

/** The key id in front of a token (`<kid>.<...>`). */
function kidOf(token: string | undefined): string {
  return (token ?? "").split(".")[0] ?? "";
}

/** The session suite for one store kind. */
export function sessionSuite(kind: StoreKind): TestSuite {
  /** A fresh store, clock and app per case; extra options on top of the defaults. */
  function setup(options: Partial<SessionManagerOptions> = {}, hold?: () => Promise<void>) {
    const clock = fakeClock();
    const store = kind.create(clock.now);
    const base: SessionManagerOptions = { secrets: [SECRET_A], store, now: clock.now, idleTimeoutSeconds: 600 };
    const app = sessionApp({ ...base, ...options }, hold);
    /** Another app over the same store and clock, e.g. with rotated secrets. */
    const sibling = (more: Partial<SessionManagerOptions>) => sessionApp({ ...base, ...options, ...more });
    return { clock, store, app, sibling, browser: new Browser() };
  }

  return defineSuite(kind.name, (test) => {
    test("create: no cookie until data is set, then one session cookie", async () => {
      const { app, browser } = setup();
      const visit = await browser.send<SessionView>(app, "/");
      assert.equal(visit.body.isNew, true, "first visit is new");
      assert.deepEqual(visit.setCookies, [], "no data, no cookie");
      // "@" is outside the token alphabet (base64url and "."), so a random token can never contain it by chance.
      const created = await browser.send<SessionView>(app, "/", { set: { user: "ann@example.test" } });
      const line = sessionLine(created.setCookies);
      assert.match(line, /;\s*HttpOnly/i, "HttpOnly");
      assert.match(line, /;\s*SameSite=Lax/i, "SameSite=Lax");
      assert.match(line, /;\s*Path=\//i, "Path=/");
      assert.doesNotMatch(line, /Max-Age|Expires/i, "a browser-session cookie by default");
      assert.doesNotMatch(line, /;\s*Secure/i, "no Secure over plain http with secure: auto");
      assert.doesNotMatch(line, /ann@example/, kind.serverSide ? "the cookie carries an ID only" : "the seal is encrypted");
      assert.ok((browser.cookie(COOKIE) ?? "").length > 40, "a signed or sealed token");
    });

    test("read: the data comes back; an unchanged request sends no Set-Cookie", async () => {
      const { app, browser } = setup();
      const created = await browser.send<SessionView>(app, "/", { set: { user: "ann", cart: ["tea", "☕ ünïcödé"] } });
      for (let i = 0; i < 2; i++) {
        const read = await browser.send<SessionView>(app, "/");
        assert.equal(read.body.isNew, false, "an existing session");
        assert.equal(read.body.id, created.body.id, "same ID");
        assert.deepEqual(read.body.data, { user: "ann", cart: ["tea", "☕ ünïcödé"] });
        assert.deepEqual(read.setCookies, [], "nothing changed, nothing sent");
      }
    });

    test("per-key update: changing one key keeps the others", async () => {
      const { app, browser } = setup();
      await browser.send(app, "/", { set: { user: "ann", counter: 1 } });
      const updated = await browser.send<SessionView>(app, "/", { set: { counter: 2 } });
      assert.deepEqual(updated.body.data, { user: "ann", counter: 2 });
      await browser.send(app, "/", { unset: ["counter"] });
      assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { user: "ann" });
    });

    if (kind.serverSide) {
      test("per-key update: concurrent requests changing different keys both survive", async () => {
        const { app, browser } = setup({}, barrier(2));
        await browser.send(app, "/", { set: { user: "ann" } });
        // Both requests load the session before either commits.
        const [first, second] = await Promise.all([
          browser.send<SessionView>(app, "/", { hold: true, set: { a: 1 } }),
          browser.send<SessionView>(app, "/", { hold: true, set: { b: 2 } }),
        ]);
        assert.equal(first.status, 200);
        assert.equal(second.status, 200);
        assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { user: "ann", a: 1, b: 2 });
      });
    } else {
      test("per-key update: concurrent requests each keep their own sealed copy (no merge)", async () => {
        const { app, browser } = setup({}, barrier(2));
        await browser.send(app, "/", { set: { user: "ann" } });
        const tabA = new Browser();
        const tabB = new Browser();
        tabA.setCookie(COOKIE, browser.cookie(COOKIE) ?? "");
        tabB.setCookie(COOKIE, browser.cookie(COOKIE) ?? "");
        await Promise.all([tabA.send(app, "/", { hold: true, set: { a: 1 } }), tabB.send(app, "/", { hold: true, set: { b: 2 } })]);
        assert.deepEqual((await tabA.send<SessionView>(app, "/")).body.data, { user: "ann", a: 1 });
        assert.deepEqual((await tabB.send<SessionView>(app, "/")).body.data, { user: "ann", b: 2 });
      });
    }

    test("regenerate: a new ID and an empty session; keepData: true carries the data over", async () => {
      const { app, browser } = setup();
      const before = await browser.send<SessionView>(app, "/", { set: { cart: ["tea"] } });
      const oldToken = browser.cookie(COOKIE) ?? "";
      const login = await browser.send<SessionView>(app, "/", { regenerate: true, set: { user: "ann" } });
      assert.notEqual(login.body.id, before.body.id, "a new session ID");
      assert.notEqual(browser.cookie(COOKIE), oldToken, "a new cookie");
      assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { user: "ann" }, "nothing from before the login");

      const replay = new Browser();
      replay.setCookie(COOKIE, oldToken);
      const old = await replay.send<SessionView>(app, "/");
      if (kind.serverSide) {
        assertFresh(old, "the pre-login cookie after regenerate");
        // Left alone: the browser may hold a newer cookie by now (a login in another tab).
        assert.deepEqual(old.setCookies, [], "no clearing line for a valid token whose record is gone");
      } else {
        // Documented limit of stateless sessions: a copied seal stays valid until it expires.
        assert.deepEqual(old.body.data, { cart: ["tea"] }, "the old seal still opens, without the new data");
      }

      await browser.send(app, "/", { regenerate: { keepData: true }, set: { role: "admin" } });
      const after = await browser.send<SessionView>(app, "/");
      assert.deepEqual(after.body.data, { user: "ann", role: "admin" }, "keepData: true carries the data over");
    });

    test("destroy: the cookie is cleared and the session is gone", async () => {
      const { app, browser } = setup();
      await browser.send(app, "/", { set: { user: "ann" } });
      const token = browser.cookie(COOKIE) ?? "";
      const logout = await browser.send<SessionView>(app, "/", { destroy: true });
      assert.ok(isClearing(sessionLine(logout.setCookies)), "a clearing Set-Cookie");
      assert.equal(browser.cookie(COOKIE), undefined, "the browser dropped the cookie");
      assertFresh(await browser.send<SessionView>(app, "/"), "after destroy");

      const replay = new Browser();
      replay.setCookie(COOKIE, token);
      const old = await replay.send<SessionView>(app, "/");
      if (kind.serverSide) assertFresh(old, "a replayed cookie of a destroyed session");
      else assert.deepEqual(old.body.data, { user: "ann" }, "a copied seal stays valid (no server-side revocation)");

      // Data set after destroy() in the same request starts a new session.
      await browser.send(app, "/", { set: { user: "bob" } });
      const again = await browser.send<SessionView>(app, "/", { destroy: true, set: { notice: "logged out" } });
      assert.ok(!isClearing(sessionLine(again.setCookies)), "a new cookie, not a clearing one");
      assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { notice: "logged out" });
    });

    test("tampered, foreign and malformed cookies give a fresh session, never an error", async () => {
      const { app, browser, sibling } = setup();
      await browser.send(app, "/", { set: { user: "ann" } });
      const good = browser.cookie(COOKIE) ?? "";
      const flipped = `${good.slice(0, -3)}${good.at(-3) === "A" ? "B" : "A"}${good.slice(-2)}`;
      const foreignBrowser = new Browser();
      await foreignBrowser.send(sibling({ secrets: [SECRET_C] }), "/", { set: { user: "mallory" } });
      const foreign = foreignBrowser.cookie(COOKIE) ?? "";
      const bad = [flipped, foreign, "garbage", "a.b.c", "..", `${kidOf(good)}.${"x".repeat(5000)}`, "%E0%A4%A", "\u00e9t\u00e9.\u00ff.x"];
      for (const value of bad) {
        const attacker = new Browser();
        attacker.setCookie(COOKIE, value);
        const exchange = await attacker.send<SessionView>(app, "/");
        assertFresh(exchange, `cookie ${JSON.stringify(value.slice(0, 20))}`);
        assert.ok(isClearing(sessionLine(exchange.setCookies)), `the bad cookie ${JSON.stringify(value.slice(0, 20))} is cleared`);
      }
      assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { user: "ann" }, "the real session is untouched");
    });

    test("secret rotation: an older key's cookie is accepted and re-signed with the current key", async () => {
      const { app, browser, sibling } = setup();
      await browser.send(app, "/", { set: { user: "ann" } });
      const oldToken = browser.cookie(COOKIE) ?? "";
      const rotated = sibling({ secrets: [SECRET_B, SECRET_A] });
      const read = await browser.send<SessionView>(rotated, "/");
      assert.deepEqual(read.body.data, { user: "ann" }, "the old cookie still works");
      const newToken = cookiePair(sessionLine(read.setCookies)).value;
      assert.notEqual(kidOf(newToken), kidOf(oldToken), "re-issued under another key id");
      assert.deepEqual((await browser.send<SessionView>(rotated, "/")).setCookies, [], "re-signed once, then quiet");

      const retired = sibling({ secrets: [SECRET_B] });
      assert.deepEqual((await browser.send<SessionView>(retired, "/")).body.data, { user: "ann" }, "works once A is retired");
      const stale = new Browser();
      stale.setCookie(COOKIE, oldToken);
      assertFresh(await stale.send<SessionView>(retired, "/"), "a cookie signed by a retired secret");
    });

    test("idle expiry: activity keeps the session alive; 600 s without it ends it", async () => {
      const { app, browser, clock } = setup({ idleTimeoutSeconds: 600 });
      await browser.send(app, "/", { set: { user: "ann" } });
      for (let i = 0; i < 3; i++) {
        clock.advanceSeconds(590);
        const read = await browser.send<SessionView>(app, "/");
        assert.deepEqual(read.body.data, { user: "ann" }, `alive after ${590 * (i + 1)} s of steady activity`);
      }
      clock.advanceSeconds(601);
      const expired = await browser.send<SessionView>(app, "/");
      assertFresh(expired, "after 601 idle seconds");
      // Left alone: another request may have given the browser a newer cookie meanwhile.
      assert.deepEqual(expired.setCookies, [], "no clearing line for an expired session");
    });

    test("absolute expiry: the session ends at absoluteTimeoutSeconds however active", async () => {
      const { app, browser, clock } = setup({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 1500, touchAfterSeconds: 0 });
      await browser.send(app, "/", { set: { user: "ann" } });
      for (const step of [500, 500, 499]) {
        clock.advanceSeconds(step);
        assert.deepEqual((await browser.send<SessionView>(app, "/")).body.data, { user: "ann" }, "alive before 1500 s");
      }
      clock.advanceSeconds(1);
      assertFresh(await browser.send<SessionView>(app, "/"), "at 1500 s after creation");
    });

    test("flash: a value is read once, then gone", async () => {
      const { app, browser } = setup();
      await browser.send(app, "/", { set: { user: "ann" }, flash: { notice: "saved" } });
      const first = await browser.send<SessionView>(app, "/?flash=notice");
      assert.equal(first.body.flash, "saved", "the flash value");
      assert.deepEqual(first.body.data, { user: "ann" }, "flash values are not data");
      const second = await browser.send<SessionView>(app, "/?flash=notice");
      assert.equal(second.body.flash, null, "read once");
      assert.equal((await browser.send<SessionView>(app, "/?flash=other")).body.flash, null, "an unknown key");
    });

    test("remember-me: a persistent cookie that outlives the idle timeout; turning it off ends that", async () => {
      const { app, browser, clock } = setup({ idleTimeoutSeconds: 600, rememberMeSeconds: 7200, absoluteTimeoutSeconds: 86_400 });
      const login = await browser.send<SessionView>(app, "/", { set: { user: "ann" }, rememberMe: true });
      assert.match(sessionLine(login.setCookies), /;\s*Max-Age=7200(?:;|$)/i, "Max-Age of rememberMeSeconds");
      clock.advanceSeconds(3000);
      const later = await browser.send<SessionView>(app, "/");
      assert.deepEqual(later.body.data, { user: "ann" }, "alive 3000 s later (idle timeout is 600 s)");
      assert.equal(later.body.persistent, true);

      const custom = await browser.send<SessionView>(app, "/", { rememberMe: 3600 });
      assert.match(sessionLine(custom.setCookies), /;\s*Max-Age=3600(?:;|$)/i, "a custom lifetime");
      const off = await browser.send<SessionView>(app, "/", { rememberMe: false });
      assert.doesNotMatch(sessionLine(off.setCookies), /Max-Age/i, "back to a browser-session cookie");
      clock.advanceSeconds(601);
      assertFresh(await browser.send<SessionView>(app, "/"), "the default idle timeout applies again");
    });

    test("a session over the size limit reaches Hono's error handler as PAYLOAD_TOO_LARGE", async () => {
      const { app, browser } = setup({ maxPayloadBytes: 2048 });
      const tooLarge = await browser.send<{ error: string; message: string }>(app, "/", { set: { blob: "x".repeat(5000) } });
      assert.equal(tooLarge.status, 500);
      assert.equal(tooLarge.body.error, "PAYLOAD_TOO_LARGE", tooLarge.body.message);
      assert.match(tooLarge.body.message, /^\[tessera\]/, "a tessera message");
      assert.equal(browser.cookie(COOKIE), undefined, "no cookie was set");
      if (!kind.serverSide) {
        // Under maxPayloadBytes but over what a cookie can carry.
        const { app: big } = setup({ maxPayloadBytes: 65_536 });
        const sealed = await new Browser().send<{ error: string; message: string }>(big, "/", { set: { blob: "y".repeat(4500) } });
        assert.equal(sealed.body.error, "PAYLOAD_TOO_LARGE");
        assert.match(sealed.body.message, /would be \d+ bytes, over the 4096-byte limit/);
      }
    });
  });
}

/** Every suite of the portable run: the session suite once per store kind. */
export function allSuites(): TestSuite[] {
  return STORE_KINDS.map(sessionSuite);
}
