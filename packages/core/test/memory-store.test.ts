import { describe, expect, it } from "vitest";
import { memoryStore, type SessionRecord } from "../src/index.js";
import { fakeClock } from "./helpers.js";

function record(now: number, ttlMs: number, owner?: string): SessionRecord {
  return { data: { a: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + ttlMs, ...(owner ? { owner } : {}) };
}

const id = (n: number) => `${String(n).padStart(42, "0")}A`;

describe("memory store specifics", () => {
  it("evicts the least recently used entry when full", async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxEntries: 3, now: clock.now });
    for (const n of [1, 2, 3]) await store.create(id(n), record(clock.now(), 60_000));
    await store.get(id(1)); // 1 is now the most recently used; 2 is the least
    await store.create(id(4), record(clock.now(), 60_000));
    expect(store.size).toBe(3);
    expect(await store.get(id(2))).toBeNull();
    for (const n of [1, 3, 4]) expect(await store.get(id(n))).not.toBeNull();
  });

  it("a read moves an entry only once more than half the store was put after it (approximate LRU)", async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxEntries: 4, now: clock.now, sweepBatchSize: 0 });
    for (const n of [1, 2, 3, 4]) await store.create(id(n), record(clock.now(), 60_000));
    await store.get(id(1)); // three entries were put after 1: it moves to the recent end (2, 3, 4, 1)
    await store.get(id(3)); // only two were put after 3 (4, then 1): it keeps its place
    await store.create(id(5), record(clock.now(), 60_000)); // evicts 2
    await store.create(id(6), record(clock.now(), 60_000)); // evicts 3, read but never moved
    expect(await store.get(id(2))).toBeNull();
    expect(await store.get(id(3))).toBeNull();
    for (const n of [4, 1, 5, 6]) expect(await store.get(id(n))).not.toBeNull();
  });

  it("a session read often is never evicted by a stream of new ones, and replace keeps its place", async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxEntries: 100, now: clock.now, sweepBatchSize: 0 });
    const hot = id(999_999);
    await store.create(hot, record(clock.now(), 60_000));
    for (let n = 0; n < 5_000; n++) {
      await store.create(id(n), record(clock.now(), 60_000));
      expect(await store.get(hot), `after ${n + 1} creates`).not.toBeNull();
      if (n % 10 === 0) expect(await store.replace(hot, record(clock.now(), 60_000))).toBe(true);
    }
    expect(store.size).toBe(100);
  });

  it("eviction stays correct across many inserts (the eviction cursor survives deletions)", async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxEntries: 100, now: clock.now, sweepBatchSize: 0 });
    for (let n = 0; n < 5_000; n++) {
      await store.create(id(n), record(clock.now(), 60_000));
      if (n % 7 === 0) await store.get(id(n - 50));
    }
    expect(store.size).toBe(100);
    expect(await store.get(id(4_999))).not.toBeNull();
    expect(await store.get(id(0))).toBeNull();
  });

  it("holds exactly what JSON gives back, on create and on patch, and never shares it", async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now });
    const when = new Date(0);
    const nested = { list: [1, { deep: true }] };
    await store.create(id(1), { ...record(clock.now(), 60_000), data: { when, nested, gone: undefined } });
    const patchValue = { tags: ["a"], at: when, skip: () => 1 };
    await store.patch(id(1), { set: { p: patchValue, fn: () => 1 }, unset: [], lastSeenAt: clock.now(), expiresAt: clock.now() + 60_000 });
    nested.list.push(2);
    patchValue.tags.push("b");
    const first = await store.get(id(1));
    expect(first?.data).toEqual({
      when: "1970-01-01T00:00:00.000Z",
      nested: { list: [1, { deep: true }] },
      p: { tags: ["a"], at: "1970-01-01T00:00:00.000Z" },
    });
    const firstData = first?.data as { p: { tags: string[] }; nested: { list: Array<{ deep?: boolean }> } };
    firstData.p.tags.push("c");
    (firstData.nested.list[1] as { deep: boolean }).deep = false;
    const second = await store.get(id(1));
    expect(second?.data.p).toEqual({ tags: ["a"], at: "1970-01-01T00:00:00.000Z" });
    expect(second?.data.nested).toEqual({ list: [1, { deep: true }] });
    expect(Object.getPrototypeOf(second?.data)).toBe(Object.prototype);
  });

  it("reclaims expired entries without anyone reading them", async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now, sweepBatchSize: 4 });
    for (let n = 0; n < 20; n++) await store.create(id(n), record(clock.now(), 1_000, "owner"));
    await store.create(id(100), record(clock.now(), 3_600_000));
    clock.advanceSeconds(2);
    expect(store.size).toBe(21);
    // Unrelated traffic on one live key sweeps the expired ones out.
    for (let i = 0; i < 10; i++) await store.get(id(100));
    expect(store.size).toBe(1);
    expect(await store.listByOwner("owner")).toEqual([]);
  });

  it("prune() removes every expired entry at once", async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now, sweepBatchSize: 0 });
    for (let n = 0; n < 50; n++) await store.create(id(n), record(clock.now(), n < 30 ? 1_000 : 60_000));
    clock.advanceSeconds(2);
    expect(store.prune()).toBe(30);
    expect(store.size).toBe(20);
  });

  it("owner index follows eviction", async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxEntries: 1, now: clock.now });
    await store.create(id(1), record(clock.now(), 60_000, "u"));
    await store.create(id(2), record(clock.now(), 60_000, "v"));
    expect(await store.listByOwner("u")).toEqual([]);
    expect(await store.destroyByOwner("u")).toBe(0);
    expect((await store.listByOwner("v")).map((s) => s.id)).toEqual([id(2)]);
  });
});
