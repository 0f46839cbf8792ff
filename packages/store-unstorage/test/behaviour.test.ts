/**
 * Store-specific behaviour beyond the conformance suite, on real unstorage drivers (memory, fs):
 * the item format, the owner markers and their cleanup, lazy expiry and prune() without native
 * TTL, per-instance serialization, destroy's answer, and a backend that fails. The two wrappers
 * below only sit in front of a real storage: `flaky` injects a write failure, and the gated one
 * holds two stores after their read so their race runs in a chosen order.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionRecord } from "@tessera/core";
import { encodeBase64url } from "@tessera/core/internal";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import { describe, expect, it, vi } from "vitest";
import { type UnstorageLike, unstorageStore } from "../src/index.js";
import { hashOwner } from "../src/key-layout.js";
import { ITEM_PREFIX } from "../src/stored-session.js";

function newId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

function clock(start = Date.UTC(2026, 10, 25, 12)) {
  let current = start;
  return { now: () => current, advance: (ms: number) => (current += ms) };
}

function record(at: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return { data: { n: 1 }, createdAt: at, lastSeenAt: at, expiresAt: at + 60_000, ...overrides };
}

describe("the stored item", () => {
  it("is one string per session under <prefix>:s:<id>, marked with the format version", async () => {
    const storage = createStorage();
    const store = unstorageStore(storage, { prefix: "app:sessions" });
    const id = newId();
    await store.create(id, record(Date.now(), { data: { cart: [1] } }));
    expect(await storage.getKeys()).toEqual([`app:sessions:s:${id}`]);
    const raw = await storage.getItem(`app:sessions:s:${id}`);
    expect(typeof raw).toBe("string");
    expect(String(raw).startsWith(ITEM_PREFIX)).toBe(true);
  });

  it("keeps a __proto__ data key that unstorage's own JSON parsing (destr) would drop", async () => {
    const storage = createStorage();
    const data = JSON.parse('{"__proto__":{"admin":true},"a":1}') as Record<string, unknown>;
    // What an object value would go through: destr drops the key (and warns on the console).
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await storage.setItem("plain", data);
      expect(Object.hasOwn((await storage.getItem("plain")) as object, "__proto__")).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Dropping "__proto__"'));
    } finally {
      warn.mockRestore();
    }
    // The store's own format keeps it, as data.
    const store = unstorageStore(storage);
    const id = newId();
    await store.create(id, record(Date.now(), { data }));
    const read = (await store.get(id))?.data ?? {};
    expect(Object.getOwnPropertyDescriptor(read, "__proto__")?.value).toEqual({ admin: true });
    expect((read as { admin?: unknown }).admin).toBeUndefined();
  });

  it("rejects an item it did not write with STORE_UNAVAILABLE, and destroy removes it all the same", async () => {
    const storage = createStorage();
    const store = unstorageStore(storage);
    const id = newId();
    await storage.setItem(`tessera:s:${id}`, { data: {} });
    await expect(store.get(id)).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: expect.stringMatching(/^\[tessera\] \[unstorage\] a session item does not start with the Tessera format marker/),
    });
    expect(await store.destroy(id)).toBe(false);
    expect(await storage.hasItem(`tessera:s:${id}`)).toBe(false);
  });
});

describe("destroy's answer (read, then remove)", () => {
  it("is true for a live record, false once it is gone, and false for an expired record still stored", async () => {
    const time = clock();
    const storage = createStorage();
    const store = unstorageStore(storage, { now: time.now });
    const live = newId();
    await store.create(live, record(time.now(), { owner: "u" }));
    expect(await store.destroy(live)).toBe(true);
    expect(await store.destroy(live)).toBe(false);
    const expired = newId();
    await store.create(expired, record(time.now(), { expiresAt: time.now() + 1_000, owner: "u" }));
    time.advance(1_000);
    // The memory driver ignores ttl: the expired item and its owner marker are still there.
    expect(await storage.hasItem(`tessera:s:${expired}`)).toBe(true);
    expect(await store.destroy(expired)).toBe(false);
    expect(await storage.getKeys()).toEqual([]);
  });

  it("between two processes is not atomic: two destroys of one session that read before either removes both answer true", async () => {
    const storage = createStorage();
    const id = newId();
    // Each "process" has its own store (and lock); once it has read the session, it waits at a gate.
    const gates: Array<() => void> = [];
    const reads: Array<Promise<void>> = [];
    const processStore = () => {
      let readDone: () => void = () => {};
      reads.push(new Promise((resolve) => (readDone = resolve)));
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      const gated: UnstorageLike = {
        getItem: async (key) => {
          const item = await storage.getItem(key);
          if (key === `tessera:s:${id}`) {
            readDone();
            await gate;
          }
          return item;
        },
        setItem: (key, value, options) => storage.setItem(key, value, options),
        removeItem: (key) => storage.removeItem(key),
        getKeys: (base) => storage.getKeys(base),
      };
      return unstorageStore(gated);
    };
    const [first, second] = [processStore(), processStore()];
    await unstorageStore(storage).create(id, record(Date.now()));
    const answers = [first.destroy(id), second.destroy(id)];
    await Promise.all(reads);
    for (const open of gates) open();
    expect(await Promise.all(answers)).toEqual([true, true]);
    expect(await storage.hasItem(`tessera:s:${id}`)).toBe(false);
  });
});

describe("expiry without native TTL (memory driver)", () => {
  it("never serves an expired record, and removes it when read", async () => {
    const time = clock();
    const storage = createStorage();
    const store = unstorageStore(storage, { now: time.now });
    const id = newId();
    await store.create(id, record(time.now(), { expiresAt: time.now() + 1_000, owner: "u" }));
    time.advance(1_000);
    expect(await store.get(id)).toBeNull();
    expect(await storage.getKeys()).toEqual([]);
  });

  it("treats an expired record as absent for every write", async () => {
    const time = clock();
    const store = unstorageStore(createStorage(), { now: time.now });
    const id = newId();
    await store.create(id, record(time.now(), { expiresAt: time.now() + 1_000 }));
    time.advance(2_000);
    const at = time.now();
    expect(await store.replace(id, record(at))).toBe(false);
    expect(await store.patch(id, { set: { a: 1 }, unset: [], lastSeenAt: at, expiresAt: at + 60_000 })).toBe(false);
    expect(await store.touch(id, { lastSeenAt: at, expiresAt: at + 60_000 })).toBe(false);
    expect(await store.create(id, record(at, { data: { fresh: true } }))).toBe(true);
    expect((await store.get(id))?.data).toEqual({ fresh: true });
  });

  it("prune() removes expired sessions and stale owner markers, and keeps live ones", async () => {
    const time = clock();
    const storage = createStorage();
    const store = unstorageStore(storage, { now: time.now });
    const live = newId();
    const expired = [newId(), newId()];
    await store.create(live, record(time.now(), { owner: "u1" }));
    for (const id of expired) await store.create(id, record(time.now(), { expiresAt: time.now() + 10, owner: "u1" }));
    // A marker whose session vanished without the store (e.g. removed by hand).
    const orphan = newId();
    await store.create(orphan, record(time.now(), { owner: "u2" }));
    await storage.removeItem(`tessera:s:${orphan}`);
    time.advance(1_000);
    expect(await store.prune()).toBe(2);
    expect((await storage.getKeys()).sort()).toEqual([`tessera:o:${await hashOwner("u1")}:${live}`, `tessera:s:${live}`].sort());
    expect(await store.prune()).toBe(0);
  });
});

describe("owner index", () => {
  it("keeps one marker per (owner, session), keyed by the owner's SHA-256", async () => {
    const storage = createStorage();
    const store = unstorageStore(storage);
    const id = newId();
    await store.create(id, record(Date.now(), { owner: "user:1/*" }));
    expect(await storage.hasItem(`tessera:o:${await hashOwner("user:1/*")}:${id}`)).toBe(true);
    await store.replace(id, record(Date.now(), { owner: "user-2" }));
    expect(await storage.hasItem(`tessera:o:${await hashOwner("user:1/*")}:${id}`)).toBe(false);
    expect(await storage.hasItem(`tessera:o:${await hashOwner("user-2")}:${id}`)).toBe(true);
    await store.destroy(id);
    expect(await storage.getKeys()).toEqual([]);
  });

  it("never lists a session whose record failed to be written (marker first, record second)", async () => {
    const storage = createStorage();
    let failSessionWrites = true;
    const flaky: UnstorageLike = {
      getItem: (key) => storage.getItem(key),
      removeItem: (key) => storage.removeItem(key),
      getKeys: (base) => storage.getKeys(base),
      setItem: async (key, value, options) => {
        if (failSessionWrites && key.includes(":s:")) throw new Error("disk full");
        await storage.setItem(key, value, options);
      },
    };
    const store = unstorageStore(flaky);
    const id = newId();
    await expect(store.create(id, record(Date.now(), { owner: "u" }))).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [unstorage] create failed: disk full",
    });
    failSessionWrites = false;
    expect(await store.listByOwner?.("u")).toEqual([]);
    // The dangling marker was dropped by the listing.
    expect(await storage.getKeys()).toEqual([]);
  });

  it("can be turned off: no markers, no owner methods, capability false", async () => {
    const storage = createStorage();
    const store = unstorageStore(storage, { ownerIndex: false });
    expect(store.capabilities.ownerIndex).toBe(false);
    expect(store.listByOwner).toBeUndefined();
    expect(store.destroyByOwner).toBeUndefined();
    const id = newId();
    await store.create(id, record(Date.now(), { owner: "u" }));
    expect(await storage.getKeys()).toEqual([`tessera:s:${id}`]);
    expect((await store.get(id))?.owner).toBe("u");
  });
});

describe("concurrency", () => {
  it("serializes the writes of one store instance, so concurrent patches, touches and a destroy never resurrect or lose keys", async () => {
    const store = unstorageStore(createStorage());
    const id = newId();
    const at = Date.now();
    await store.create(id, record(at, { data: {} }));
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++)
      writes.push(store.patch(id, { set: { [`k${i}`]: i }, unset: [], lastSeenAt: at + i, expiresAt: at + 60_000 }));
    writes.push(store.destroy(id));
    const late = [
      store.patch(id, { set: { late: 1 }, unset: [], lastSeenAt: at, expiresAt: at + 60_000 }),
      store.touch(id, { lastSeenAt: at, expiresAt: at + 60_000 }),
    ];
    await Promise.all(writes);
    expect(await Promise.all(late)).toEqual([false, false]);
    expect(await store.get(id)).toBeNull();
  });
});

describe("a storage whose backend fails", () => {
  it("an fs driver whose base is not a directory: STORE_UNAVAILABLE naming the driver, with the cause", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-unstorage-broken-"));
    try {
      const file = join(dir, "not-a-directory");
      await writeFile(file, "x");
      const store = unstorageStore(createStorage({ driver: fsDriver({ base: file }) }));
      const error = (await store.get(newId()).catch((caught: unknown) => caught)) as Error & { code?: string };
      expect(error).toMatchObject({ name: "SessionError", code: "STORE_UNAVAILABLE" });
      expect(error.message).toMatch(/^\[tessera\] \[unstorage\] get failed \(fs driver\): ENOTDIR/);
      expect((error.cause as { code?: string }).code).toBe("ENOTDIR");
      await expect(store.create(newId(), record(Date.now()))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
