import { memoryStore } from "@tessera/core";
import { afterEach, describe, expect, it } from "vitest";
import { Browser, countingStore, isClearing, type RunningApp, serveNode } from "../src/index.js";

describe("isClearing", () => {
  it("recognizes the lines that remove a cookie", () => {
    expect(isClearing("tessera.sid=; Max-Age=0; Path=/")).toBe(true);
    expect(isClearing("tessera.sid=abc; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).toBe(true);
    expect(isClearing("tessera.sid=abc; Max-Age=0")).toBe(true);
    expect(isClearing("tessera.sid=abc; Max-Age=60; Path=/")).toBe(false);
    expect(isClearing("tessera.sid=a=b; Path=/")).toBe(false);
  });
});

describe("countingStore", () => {
  it("records calls, separates writes, and fails every call on demand", async () => {
    const store = countingStore(memoryStore());
    const id = "x".repeat(43);
    const record = { data: { n: 1 }, createdAt: Date.now(), lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 };
    expect(await store.create(id, record)).toBe(true);
    expect(await store.get(id)).toMatchObject({ data: { n: 1 } });
    expect(store.calls).toEqual(["create", "get"]);
    expect(store.writes()).toEqual(["create"]);
    store.failing = true;
    await expect(store.get(id)).rejects.toThrow("connection refused (get)");
    store.failing = false;
    store.resetCalls();
    expect(store.calls).toEqual([]);
    expect(store.memory.size).toBe(1);
  });
});

describe("Browser", () => {
  let app: RunningApp | undefined;
  afterEach(() => app?.close());

  it("keeps the last session cookie line, sends it back, and drops it when cleared", async () => {
    const seen: Array<string | undefined> = [];
    app = await serveNode((req, res) => {
      seen.push(req.headers.cookie);
      const lines = req.url === "/clear" ? ["tessera.sid=; Max-Age=0"] : ["tessera.sid=one; Path=/", "other=1", "tessera.sid=two; Path=/"];
      res.setHeader("set-cookie", lines);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true }));
    });
    const browser = new Browser(app);
    const first = await browser.request("GET", "/");
    expect(first.sessionLine).toBe("tessera.sid=two; Path=/");
    expect(first.setCookies).toHaveLength(3);
    expect(browser.cookie).toBe("tessera.sid=two");
    await browser.request("GET", "/clear");
    expect(browser.cookie).toBeNull();
    await browser.request("GET", "/");
    expect(seen).toEqual([undefined, "tessera.sid=two", undefined]);
  });

  it("reports a body that is not JSON with the status and the start of the body", async () => {
    app = await serveNode((_req, res) => {
      res.statusCode = 500;
      res.end("Internal Server Error");
    });
    await expect(new Browser(app).request("GET", "/")).rejects.toThrow(
      "GET / answered 500 with a body that is not JSON: Internal Server Error",
    );
  });
});
