/**
 * The Worker example, for real: bundled with esbuild, served by workerd through miniflare (in a
 * child process under Node 22, which recent miniflare needs) with a local KV namespace, and driven
 * over HTTP. The KV namespace is miniflare's local implementation of the Workers KV API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);
const SECRET = "example-hono-workers-secret-0123456789abcdef";

interface Host {
  url: string;
  inspect: string;
  child: ChildProcess;
}

let work: string;
let bundle: string;
let persist: string;
let host: Host;

/** Starts the miniflare host; resolves once it printed its addresses. */
function startHost(): Promise<Host> {
  const node22 = join(dirname(require.resolve("node22/package.json")), "bin", "node");
  const child = spawn(node22, [join(here, "miniflare-host.mjs"), bundle, persist], {
    // workerd resolves the module path relative to the working directory and refuses "..".
    cwd: work,
    env: { ...process.env, SESSION_SECRET: SECRET },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        child.stdout?.off("data", onData);
        resolve({ ...JSON.parse(line), child });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("exit", (code) => reject(new Error(`miniflare host exited with ${code} before it was ready:\n${output}`)));
  });
}

async function stopHost(h: Host): Promise<void> {
  if (h.child.exitCode !== null) return;
  const exited = new Promise((resolve) => h.child.once("exit", resolve));
  h.child.stdin?.end();
  await exited;
}

/** A cookie-keeping client for the Worker, sending `GET /csrf`'s token with every POST as the page's script does. */
function client() {
  let cookie: string | null = null;
  let csrfToken: string | null = null;
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string | null) {
      cookie = value;
    },
    async send(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; setCookies: string[] }> {
      if (body !== undefined && csrfToken === null) csrfToken = (await this.send("/csrf")).body.token as string;
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        headers["x-csrf-token"] = csrfToken as string;
        // Login and logout start a new session, with a new CSRF secret.
        if (path === "/login" || path === "/logout") csrfToken = null;
      }
      const response = await fetch(new URL(path, host.url), {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const setCookies = response.headers.getSetCookie();
      for (const line of setCookies) {
        const pair = line.split(";")[0] ?? "";
        cookie = /max-age=0/i.test(line) || pair.endsWith("=") ? null : pair;
      }
      return { status: response.status, body: (await response.json()) as Record<string, unknown>, setCookies };
    },
  };
}

async function kvKeys(): Promise<Array<{ name: string; expiration: number | null }>> {
  return (await fetch(new URL("/keys", host.inspect))).json();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "tessera-hono-workers-"));
  bundle = join(work, "worker.mjs");
  persist = join(work, "kv");
  // platform "neutral": a Node built-in anywhere in the Worker's graph fails the bundle.
  await build({
    entryPoints: [join(root, "src/worker.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker"],
    external: ["cloudflare:*"], // workerd's own modules
    logLevel: "silent",
  });
  host = await startHost();
}, 60_000);

afterAll(async () => {
  if (host) await stopHost(host);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("hono-workers example under miniflare with a KV namespace", () => {
  it("logs in, keeps the session in KV with an expiration, and logs out", async () => {
    const browser = client();
    const anonymous = await browser.send("/");
    expect(anonymous.body).toEqual({ user: null, cart: [], notice: null });
    expect(anonymous.setCookies).toEqual([]);

    const login = await browser.send("/login", { user: "ann" });
    expect(login.status).toBe(200);
    expect(login.setCookies).toHaveLength(1);
    expect(login.setCookies[0]).toMatch(/^tessera\.sid=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);

    const keys = await kvKeys();
    const sessionKeys = keys.filter((k) => k.name.startsWith("tessera:s:"));
    expect(sessionKeys).toHaveLength(1);
    // The store passes the session's TTL to KV: about one idle window (a day) from now.
    const expiresInSeconds = ((sessionKeys[0]?.expiration ?? 0) * 1000 - Date.now()) / 1000;
    expect(expiresInSeconds).toBeGreaterThan(86_400 - 120);
    expect(expiresInSeconds).toBeLessThanOrEqual(86_400 + 5);
    expect(keys.some((k) => k.name.startsWith("tessera:o:"))).toBe(true); // the owner index

    expect((await browser.send("/")).body).toEqual({ user: "ann", cart: [], notice: "Welcome, ann" });
    expect((await browser.send("/")).body).toEqual({ user: "ann", cart: [], notice: null });
    expect((await browser.send("/cart", { item: "tea" })).body).toEqual({ cart: ["tea"] });
    expect((await browser.send("/cart", { item: "cups" })).body).toEqual({ cart: ["tea", "cups"] });

    const oldCookie = browser.cookie;
    const logout = await browser.send("/logout", {});
    expect(logout.setCookies).toEqual([expect.stringMatching(/^tessera\.sid=; .*Max-Age=0/)]);
    expect((await kvKeys()).filter((k) => k.name.startsWith("tessera:s:"))).toEqual([]);

    const replay = client();
    replay.cookie = oldCookie;
    expect((await replay.send("/")).body).toEqual({ user: null, cart: [], notice: null });
  });

  it("regenerates the session ID at login, keeping the cart, and the old ID stops working", async () => {
    const browser = client();
    await browser.send("/cart", { item: "tea" });
    const before = browser.cookie;
    await browser.send("/login", { user: "bob" });
    expect(browser.cookie).not.toBe(before);
    expect((await browser.send("/")).body).toMatchObject({ user: "bob", cart: ["tea"] });
    const replay = client();
    replay.cookie = before;
    expect((await replay.send("/")).body).toEqual({ user: null, cart: [], notice: null });
  });

  it("remember-me sets a persistent cookie and a matching KV expiration", async () => {
    const browser = client();
    const login = await browser.send("/login", { user: "cy", remember: true });
    const maxAge = Number(/Max-Age=(\d+)/.exec(login.setCookies[0] ?? "")?.[1]);
    expect(maxAge).toBe(14 * 24 * 60 * 60); // rememberMeSeconds' default
    const token = browser.cookie?.slice("tessera.sid=".length) ?? "";
    const id = token.split(".")[1] ?? ""; // <kid>.<id>.<mac>
    const key = (await kvKeys()).find((k) => k.name === `tessera:s:${id}`);
    expect(key).toBeDefined();
    const expiresInSeconds = ((key?.expiration ?? 0) * 1000 - Date.now()) / 1000;
    expect(Math.abs(expiresInSeconds - maxAge)).toBeLessThan(120);
  });

  it("a tampered cookie gives a fresh session, never an error", async () => {
    const browser = client();
    await browser.send("/login", { user: "dee" });
    const cookie = browser.cookie ?? "";
    browser.cookie = `${cookie.slice(0, -2)}${cookie.at(-2) === "A" ? "B" : "A"}${cookie.at(-1)}`;
    const response = await browser.send("/");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: null, cart: [], notice: null });
    expect(response.setCookies).toEqual([expect.stringContaining("Max-Age=0")]);
  });

  it("csrf: a cross-site text/plain post of JSON is refused (403) and changes nothing; a POST without the header token too", async () => {
    const browser = client();
    await browser.send("/login", { user: "fay" });
    await browser.send("/cart", { item: "tea" });
    const forged = await fetch(new URL("/cart", host.url), {
      method: "POST",
      headers: {
        cookie: browser.cookie ?? "",
        "content-type": "text/plain",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: JSON.stringify({ item: "forged" }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: "CSRF_REJECTED" });
    const noToken = await fetch(new URL("/logout", host.url), {
      method: "POST",
      headers: { cookie: browser.cookie ?? "", "content-type": "application/json" },
      body: "{}",
    });
    expect(noToken.status).toBe(403);
    expect((await browser.send("/")).body).toMatchObject({ user: "fay", cart: ["tea"] });
  });

  it("sessions live in KV, not in the isolate: they survive a restart of the Worker", async () => {
    const browser = client();
    await browser.send("/login", { user: "eve" });
    await browser.send("/cart", { item: "scones" });
    await stopHost(host);
    host = await startHost();
    expect((await browser.send("/")).body).toMatchObject({ user: "eve", cart: ["scones"] });
  });
});
