/** The pure parts: key layout, owner hashing, TTL rounding, the item format, the per-key lock, options. */
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { createStorage, prefixStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import { driverHonoursTtl, TTL_DRIVERS, ttlSeconds } from "../src/driver-ttl.js";
import { DEFAULT_PREFIX, unstorageStore } from "../src/index.js";
import { hashOwner, keyLayout } from "../src/key-layout.js";
import { KeyedLock } from "../src/keyed-lock.js";
import { ITEM_PREFIX, parseSession, serializeSession } from "../src/stored-session.js";

describe("key layout", () => {
  it("puts sessions under <prefix>:s and owner markers under <prefix>:o:<hash>", () => {
    const keys = keyLayout("app:sessions");
    expect(keys.sessionKey("ID")).toBe("app:sessions:s:ID");
    expect(keys.ownerMarkerKey("ab12", "ID")).toBe("app:sessions:o:ab12:ID");
    expect(keys.ownerBase("ab12")).toBe("app:sessions:o:ab12");
    expect(keys.sessionBase).toBe("app:sessions:s");
  });

  // The first use of fast-check's "binary" string unit spends seconds building its tables, more on a busy machine.
  it("hashes owners with SHA-256 to 64 lower-case hex characters", { timeout: 30_000 }, async () => {
    expect(await hashOwner("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (owner) => {
        expect(await hashOwner(owner)).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 50 },
    );
  });
});

describe("prefix", () => {
  it("defaults to 'tessera' and turns '/' into ':'", () => {
    expect(DEFAULT_PREFIX).toBe("tessera");
    expect(unstorageStore(createStorage()).prefix).toBe("tessera");
    expect(unstorageStore(createStorage(), { prefix: "app/sessions" }).prefix).toBe("app:sessions");
  });

  it.each(["", ":x", "x:", "a::b", "a b", "a*", "..", "a:..:b", "ü", 5])("rejects %j at startup", (prefix) => {
    expect(() => unstorageStore(createStorage(), { prefix: prefix as string })).toThrowError(
      expect.objectContaining({
        code: "INVALID_CONFIG",
        message: expect.stringMatching(/^\[tessera\] \[unstorage\] `prefix` must be segments/),
      }),
    );
  });
});

describe("options", () => {
  it.each([
    [null, /needs an unstorage Storage/],
    [{ getItem() {} }, /has no setItem, removeItem, getKeys/],
  ])("rejects storage %o", (storage, message) => {
    expect(() => unstorageStore(storage as never)).toThrowError(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(message) }),
    );
  });

  it.each([
    [{ nativeTtl: "yes" }, /`nativeTtl` must be true or false/],
    [{ ownerIndex: 1 }, /`ownerIndex` must be true or false/],
    [{ now: 0 }, /`now` must be a function/],
  ])("rejects %o", (options, message) => {
    expect(() => unstorageStore(createStorage(), options as never)).toThrowError(
      expect.objectContaining({ code: "INVALID_CONFIG", message: expect.stringMatching(message) }),
    );
  });

  it("recognises the driver through prefixStorage too", () => {
    const store = unstorageStore(prefixStorage(createStorage(), "x"));
    expect(store.driverName).toBe("memory");
    expect(store.capabilities.nativeTtl).toBe(false);
  });

  it("lets the app state nativeTtl when the driver cannot be recognised", () => {
    const storage = createStorage();
    // A wrapper without getMount: the driver behind it is unknown, assumed not to honour ttl.
    const wrapped = {
      getItem: (key: string) => storage.getItem(key),
      setItem: (key: string, value: string) => storage.setItem(key, value),
      removeItem: (key: string) => storage.removeItem(key),
      getKeys: (base?: string) => storage.getKeys(base),
    };
    expect(unstorageStore(wrapped).driverName).toBeUndefined();
    expect(unstorageStore(wrapped).capabilities.nativeTtl).toBe(false);
    expect(unstorageStore(wrapped, { nativeTtl: true }).capabilities.nativeTtl).toBe(true);
    expect(unstorageStore(createStorage(), { nativeTtl: false }).capabilities.nativeTtl).toBe(false);
  });
});

describe("TTL", () => {
  it("is whole seconds, rounded up, at least 1", () => {
    expect(ttlSeconds(10_000, 0)).toBe(10);
    expect(ttlSeconds(10_001, 0)).toBe(11);
    expect(ttlSeconds(1, 0)).toBe(1);
    expect(ttlSeconds(0, 0)).toBe(1);
    expect(ttlSeconds(-5_000, 0)).toBe(1);
  });

  it("never lets an item expire before its record", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (now, lifetime) => ttlSeconds(now + lifetime, now) * 1000 >= lifetime,
      ),
    );
  });

  it("is declared native exactly for the unstorage drivers whose setItem passes ttl on", async () => {
    // Read the installed unstorage's driver sources: a driver is in TTL_DRIVERS only if its
    // setItem forwards the ttl option; the drivers this package tests with must not be.
    const require = createRequire(import.meta.url);
    const driversDir = join(dirname(require.resolve("unstorage/drivers/memory")));
    const files = (await readdir(driversDir)).filter((file) => file.endsWith(".mjs"));
    const names = new Map<string, string>();
    for (const file of files) {
      const source = await readFile(join(driversDir, file), "utf8");
      const name = /const DRIVER_NAME = "([^"]+)"/.exec(source)?.[1];
      if (name !== undefined) names.set(name, source);
    }
    for (const name of TTL_DRIVERS) {
      const source = names.get(name);
      expect(source, `unstorage has a driver named ${name}`).toBeDefined();
      // deno-kv-node wraps deno-kv, which forwards ttl as expireIn.
      if (name !== "deno-kv-node") expect(source, `${name} forwards ttl`).toMatch(/ttl/);
    }
    for (const name of ["memory", "fs", "fs-lite", "lru-cache"]) {
      expect(names.get(name), `${name} exists`).toBeDefined();
      expect(names.get(name), `${name} ignores ttl`).not.toMatch(/ttl/i);
      expect(driverHonoursTtl(name)).toBe(false);
    }
    expect(driverHonoursTtl(undefined)).toBe(false);
  });
});

describe("item format", () => {
  it("round-trips any record, keys like __proto__ included", () => {
    const record = fc.record(
      {
        data: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor")), fc.jsonValue()),
        createdAt: fc.integer({ min: 0 }),
        lastSeenAt: fc.integer({ min: 0 }),
        expiresAt: fc.integer({ min: 0 }),
        owner: fc.string(),
        rememberMeSeconds: fc.nat(),
      },
      { requiredKeys: ["data", "createdAt", "lastSeenAt", "expiresAt"] },
    );
    fc.assert(
      fc.property(record, (value) => {
        const text = serializeSession(value);
        expect(text.startsWith(ITEM_PREFIX)).toBe(true);
        const parsed = parseSession(text);
        // Same JSON, key order included, and every data key an own property of a plain object.
        expect(JSON.stringify(parsed)).toBe(JSON.stringify(value));
        expect(Object.getPrototypeOf(parsed?.data)).toBe(Object.prototype);
        for (const key of Object.keys(value.data)) expect(Object.hasOwn(parsed?.data ?? {}, key)).toBe(true);
      }),
    );
  });

  it.each([
    [42, /does not start with the Tessera format marker/],
    [{ data: {} }, /does not start with the Tessera format marker/],
    [`${ITEM_PREFIX}{nope`, /is not valid JSON/],
    [`${ITEM_PREFIX}{"data":[],"createdAt":1,"lastSeenAt":1,"expiresAt":1}`, /does not have the fields/],
    [`${ITEM_PREFIX}{"data":{},"createdAt":"1","lastSeenAt":1,"expiresAt":1}`, /does not have the fields/],
    [`${ITEM_PREFIX}{"data":{},"createdAt":1,"lastSeenAt":1,"expiresAt":1,"owner":7}`, /does not have the fields/],
  ])("rejects a foreign item %j", (item, message) => {
    expect(() => parseSession(item)).toThrowError(
      expect.objectContaining({ code: "STORE_UNAVAILABLE", message: expect.stringMatching(message) }),
    );
  });

  it("reports an Error object a driver resolved with as that error", () => {
    const failure = Object.assign(new Error("ENOTDIR: not a directory"), { code: "ENOTDIR" });
    expect(() => parseSession(failure)).toThrow(failure);
    expect(parseSession(null)).toBeNull();
  });
});

describe("KeyedLock", () => {
  it("runs operations on one key one at a time, in call order, and other keys in parallel", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = lock.run("a", async () => {
      events.push("a1 start");
      await gate;
      events.push("a1 end");
      return 1;
    });
    const second = lock.run("a", async () => {
      events.push("a2");
      return 2;
    });
    const other = lock.run("b", async () => {
      events.push("b");
      return 3;
    });
    expect(await other).toBe(3);
    expect(events).toEqual(["a1 start", "b"]);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(["a1 start", "b", "a1 end", "a2"]);
    await lock.settled();
    expect(lock.size).toBe(0);
  });

  it("a failure reaches its caller and does not block the next operation", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("k", async () => {
      throw new Error("boom");
    });
    const next = lock.run("k", async () => "ok");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ok");
  });
});
