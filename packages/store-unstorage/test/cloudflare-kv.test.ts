/**
 * Cloudflare Workers KV, through miniflare (workerd and its KV implementation, run locally):
 * the conformance suite on unstorage's cloudflare-kv-binding driver with a real KV namespace, and
 * a Worker bundle using the store, run in workerd without `nodejs_compat`.
 *
 * Local KV is consistent; production KV is eventually consistent across locations (see README).
 */
import { fileURLToPath } from "node:url";
import { testStore } from "@tessera/store-test-suite";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { createStorage } from "unstorage";
import kvDriver from "unstorage/drivers/cloudflare-kv-binding";
import { afterAll, describe, expect, it } from "vitest";
import { type UnstorageStore, unstorageStore } from "../src/index.js";
import { ITEM_PREFIX } from "../src/stored-session.js";

const COMPATIBILITY_DATE = "2025-09-01";
const SECRET = "cloudflare-kv-secret-0123456789abcdefghijklmnopqrs";

describe("unstorage × cloudflare-kv-binding driver (miniflare KV)", () => {
  let mf: Miniflare | undefined;
  const namespace = async () => {
    mf ??= new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response('') } }",
      kvNamespaces: ["SESSIONS"],
      compatibilityDate: COMPATIBILITY_DATE,
    });
    return mf.getKVNamespace("SESSIONS");
  };
  afterAll(async () => {
    await mf?.dispose();
  });

  let storage: ReturnType<typeof createStorage> | undefined;
  testStore<UnstorageStore>("unstorage × cloudflare-kv-binding (miniflare)", {
    create: async () => {
      storage = createStorage({ driver: kvDriver({ binding: (await namespace()) as never }) });
      return unstorageStore(storage, { prefix: "conformance:a" });
    },
    createIsolated: () => unstorageStore(storage as ReturnType<typeof createStorage>, { prefix: "conformance:b" }),
    clientStillOpen: async () => {
      await storage?.setItem("probe", "ok");
      return (await storage?.getItem("probe")) === "ok";
    },
    additionalTests: ({ store }) => {
      it("recognises the driver and declares native TTL (KV expires items itself, 60 s at the least)", () => {
        expect(store().driverName).toBe("cloudflare-kv-binding");
        expect(store().capabilities.nativeTtl).toBe(true);
      });
    },
  });
});

describe("a Worker using the store (workerd, no nodejs_compat)", () => {
  let mf: Miniflare | undefined;
  afterAll(async () => {
    await mf?.dispose();
  });

  it("keeps a session in KV across requests", async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url))],
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      kvNamespaces: ["SESSIONS"],
      bindings: { SESSION_SECRET: SECRET },
      compatibilityDate: COMPATIBILITY_DATE,
    });
    const first = await mf.dispatchFetch("http://worker.test/");
    expect(await first.json()).toEqual({ visits: 1, nativeTtl: true, driver: "cloudflare-kv-binding" });
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/=/);
    const second = await mf.dispatchFetch("http://worker.test/", { headers: { cookie } });
    expect(await second.json()).toMatchObject({ visits: 2 });
    const kv = await mf.getKVNamespace("SESSIONS");
    const listed = await kv.list({ prefix: "worker:s:" });
    expect(listed.keys).toHaveLength(1);
    const key = listed.keys[0];
    expect(key?.expiration).toBeGreaterThan(Date.now() / 1000);
    expect(String(await kv.get(key?.name ?? ""))).toMatch(new RegExp(`^${ITEM_PREFIX.replace(".", "\\.")}`));
    // Without the cookie: a new session.
    expect(await (await mf.dispatchFetch("http://worker.test/")).json()).toMatchObject({ visits: 1 });
  });
});
