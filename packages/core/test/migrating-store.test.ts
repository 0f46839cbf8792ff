/**
 * `migratingStore`: sessions move from the old store to the new one as they are read, once, and a
 * logout racing the move never leaves the session behind. Every interleaving is chosen by the test
 * with gated stores (no sleeps).
 */
import { describe, expect, it } from "vitest";
import { gatedStore } from "../../adapter-test-suite/src/gated-store.js";
import { createSessionManager, memoryStore, migratingStore, SessionError, type SessionRecord, type Store } from "../src/index.js";
import { fakeClock, recordingStore, SECRET_A } from "./helpers.js";

const ID = "bGVnYWN5LXNlc3Npb24taWQtMDAwMDAwMDAwMDA";

function setup() {
  const clock = fakeClock();
  const oldMemory = memoryStore({ now: clock.now });
  const newMemory = memoryStore({ now: clock.now });
  const from = gatedStore(oldMemory);
  const to = gatedStore(newMemory);
  const store = migratingStore({ to: to as Store, from: from as Store, now: clock.now });
  const record = (overrides: Partial<SessionRecord> = {}): SessionRecord => {
    const at = clock.now();
    return { data: { user: "ada" }, createdAt: at - 1_000, lastSeenAt: at, expiresAt: at + 3_600_000, ...overrides };
  };
  return { clock, oldMemory, newMemory, from, to, store, record };
}

describe("migratingStore: the move", () => {
  it("a miss in the new store reads the old one, moves the record and returns it", async () => {
    const { oldMemory, newMemory, store, record } = setup();
    const original = record({ owner: "u1", rememberMeSeconds: 600 });
    await oldMemory.create(ID, original);
    expect(await store.get(ID)).toEqual(original);
    expect(await newMemory.get(ID)).toEqual(original);
    expect(await oldMemory.get(ID)).toBeNull();
  });

  it("a hit in the new store does not read the old one", async () => {
    const clock = fakeClock();
    const from = recordingStore(memoryStore({ now: clock.now }));
    const store = migratingStore({ to: memoryStore({ now: clock.now }), from, now: clock.now });
    const at = clock.now();
    await store.create(ID, { data: { a: 1 }, createdAt: at, lastSeenAt: at, expiresAt: at + 60_000 });
    expect((await store.get(ID))?.data).toEqual({ a: 1 });
    expect(from.calls).toEqual([]);
  });

  it("a missing ID is null in both, and nothing is written", async () => {
    const { newMemory, oldMemory, store } = setup();
    expect(await store.get(ID)).toBeNull();
    expect(newMemory.size + oldMemory.size).toBe(0);
  });

  it("an expired record in the old store is not moved, and is removed there", async () => {
    const clock = fakeClock();
    // The old store's own clock stands still, so it still returns the record (stores may).
    const oldMemory = memoryStore({ now: fakeClock(clock.now()).now });
    const from = recordingStore(oldMemory);
    const to = memoryStore({ now: clock.now });
    const store = migratingStore({ to, from, now: clock.now });
    const at = clock.now();
    await oldMemory.create(ID, { data: {}, createdAt: at, lastSeenAt: at, expiresAt: at + 1_000 });
    clock.advanceSeconds(2);
    expect(await store.get(ID)).toBeNull();
    expect(from.calls.map((c) => c.method)).toEqual(["get", "destroy"]);
    expect(to.size).toBe(0);
    expect(oldMemory.size).toBe(0);
  });

  it("a moved record with no expiry of its own gets maxMovedLifetimeSeconds at most", async () => {
    const clock = fakeClock();
    const to = memoryStore({ now: clock.now });
    const from = memoryStore({ now: clock.now });
    const store = migratingStore({ to, from, now: clock.now, maxMovedLifetimeSeconds: 3_600 });
    const at = clock.now();
    await from.create(ID, { data: {}, createdAt: at, lastSeenAt: at, expiresAt: Number.MAX_SAFE_INTEGER });
    expect((await store.get(ID))?.expiresAt).toBe(at + 3_600_000);
    expect((await to.get(ID))?.expiresAt).toBe(at + 3_600_000);
  });

  it("writes go to the new store only; a record still in the old store is not written", async () => {
    const { oldMemory, newMemory, store, record } = setup();
    await oldMemory.create(ID, record());
    expect(await store.replace(ID, record({ data: { user: "mallory" } }))).toBe(false);
    expect(await store.patch?.(ID, { set: { x: 1 }, unset: [], lastSeenAt: 1, expiresAt: 2 })).toBe(false);
    expect(await store.touch?.(ID, { lastSeenAt: 1, expiresAt: 2 })).toBe(false);
    expect((await oldMemory.get(ID))?.data).toEqual({ user: "ada" });
    expect(newMemory.size).toBe(0);
    await store.get(ID);
    expect(await store.replace(ID, record({ data: { user: "ada", v: 2 } }))).toBe(true);
    expect((await newMemory.get(ID))?.data).toEqual({ user: "ada", v: 2 });
  });

  it("destroy removes the record from both stores and answers whether either held it live", async () => {
    const { oldMemory, newMemory, store, record } = setup();
    await oldMemory.create(ID, record());
    expect(await store.destroy(ID)).toBe(true);
    expect(await oldMemory.get(ID)).toBeNull();
    await newMemory.create(ID, record());
    expect(await store.destroy(ID)).toBe(true);
    expect(await newMemory.get(ID)).toBeNull();
    expect(await store.destroy(ID)).toBe(false);
  });

  it("owners are listed (and revoked) from the new store only", async () => {
    const { oldMemory, store, record } = setup();
    const moved = "bW92ZWQtc2Vzc2lvbi1pZC0wMDAwMDAwMDAwMDAwMDA";
    await oldMemory.create(moved, record({ owner: "u1" }));
    await oldMemory.create(ID, record({ owner: "u1" }));
    await store.get(moved);
    expect((await store.listByOwner?.("u1"))?.map((s) => s.id)).toEqual([moved]);
    expect(await store.destroyByOwner?.("u1")).toBe(1);
    expect(await oldMemory.get(ID)).not.toBeNull();
  });

  it("ids() lists the moved sessions and those still in the old store, each once", async () => {
    const { oldMemory, newMemory, clock, record } = setup();
    const store = migratingStore({ to: newMemory, from: oldMemory, now: clock.now });
    const other = "b3RoZXItc2Vzc2lvbi1pZC0wMDAwMDAwMDAwMDAwMDA";
    await oldMemory.create(ID, record());
    await oldMemory.create(other, record());
    await store.get(ID);
    const ids: string[] = [];
    for await (const id of store.ids?.() ?? []) ids.push(id);
    expect(ids.sort()).toEqual([ID, other].sort());
  });

  it("takes the new store's capabilities and a name naming both", () => {
    const { store, newMemory } = setup();
    const { inProcess, ...rest } = store.capabilities;
    const { inProcess: _ignored, ...expected } = newMemory.capabilities;
    expect(rest).toEqual(expected);
    expect(inProcess).toBe(true);
    expect(store.name).toBe("memory (migrating from memory)");
    const partial = migratingStore({
      to: { ...memoryStore(), capabilities: { ...newMemory.capabilities, inProcess: false } },
      from: memoryStore(),
    });
    expect(partial.capabilities.inProcess).toBe(false);
  });

  it("refuses bad options with INVALID_CONFIG", () => {
    const m = memoryStore();
    for (const options of [
      { to: m, from: m },
      { to: m, from: {} },
      { to: m, from: memoryStore(), maxMovedLifetimeSeconds: 0 },
    ]) {
      expect(() => migratingStore(options as never)).toThrow(SessionError);
    }
  });
});

describe("migratingStore: overlapping requests", () => {
  it("two first requests both miss: one moves the record, the other reads what it moved", async () => {
    const { oldMemory, newMemory, to, store, record } = setup();
    await oldMemory.create(ID, record());
    const firstCreate = to.hold("create");
    const secondCreate = to.hold("create");
    const a = store.get(ID);
    const b = store.get(ID);
    await Promise.all([firstCreate.reached, secondCreate.reached]);
    firstCreate.open();
    const movedByA = await a;
    secondCreate.open();
    const readByB = await b;
    expect(movedByA?.data).toEqual({ user: "ada" });
    expect(readByB).toEqual(movedByA);
    expect(newMemory.size).toBe(1);
    expect(await oldMemory.get(ID)).toBeNull();
  });

  it("the loser of the move sees a change the winner made meanwhile", async () => {
    const { oldMemory, to, store, record } = setup();
    await oldMemory.create(ID, record());
    const firstCreate = to.hold("create");
    const secondCreate = to.hold("create");
    const a = store.get(ID);
    const b = store.get(ID);
    await Promise.all([firstCreate.reached, secondCreate.reached]);
    firstCreate.open();
    await a;
    expect(await store.replace(ID, record({ data: { user: "ada", cart: [1] } }))).toBe(true);
    secondCreate.open();
    expect((await b)?.data).toEqual({ user: "ada", cart: [1] });
  });

  it("a logout that runs while the move is before its create: the move is undone", async () => {
    const { oldMemory, newMemory, to, store, record } = setup();
    await oldMemory.create(ID, record());
    const create = to.hold("create");
    const moving = store.get(ID);
    await create.reached;
    expect(await store.destroy(ID)).toBe(true);
    create.open();
    expect(await moving).toBeNull();
    expect(await newMemory.get(ID)).toBeNull();
    expect(await oldMemory.get(ID)).toBeNull();
  });

  it("a logout that runs between the move's create and its destroy of the old record: the move is undone", async () => {
    const { oldMemory, newMemory, from, store, record } = setup();
    await oldMemory.create(ID, record());
    const moverDestroy = from.hold("destroy");
    const moving = store.get(ID);
    await moverDestroy.reached;
    expect(await newMemory.get(ID)).not.toBeNull();
    expect(await store.destroy(ID)).toBe(true);
    moverDestroy.open();
    expect(await moving).toBeNull();
    expect(await newMemory.get(ID)).toBeNull();
    expect(await oldMemory.get(ID)).toBeNull();
  });

  it("a logout whose removal from the old store waits until the move is done: the moved copy goes too", async () => {
    const { oldMemory, newMemory, from, to, store, record } = setup();
    await oldMemory.create(ID, record());
    const create = to.hold("create");
    const moving = store.get(ID);
    await create.reached;
    const logoutOld = from.hold("destroy");
    const logout = store.destroy(ID);
    await logoutOld.reached;
    create.open();
    expect((await moving)?.data).toEqual({ user: "ada" });
    logoutOld.open();
    expect(await logout).toBe(true);
    expect(await newMemory.get(ID)).toBeNull();
    expect(await oldMemory.get(ID)).toBeNull();
  });

  it("a logout that removes the old record before the move reads it: nothing is moved", async () => {
    const { oldMemory, newMemory, from, store, record } = setup();
    await oldMemory.create(ID, record());
    const read = from.hold("get");
    const moving = store.get(ID);
    await read.reached;
    expect(await store.destroy(ID)).toBe(true);
    read.open();
    expect(await moving).toBeNull();
    expect(newMemory.size + oldMemory.size).toBe(0);
  });
});

describe("migratingStore under a manager", () => {
  it("a session of the old store keeps its data, is written to the new one, and logout removes it everywhere", async () => {
    const clock = fakeClock();
    const from = memoryStore({ now: clock.now });
    const to = memoryStore({ now: clock.now });
    const writer = createSessionManager<{ user: string; visits: number }>({ secrets: [SECRET_A], store: from, now: clock.now });
    const session = await writer.load({ cookieHeader: null });
    session.set("user", "ada");
    const lines: string[] = [];
    await writer.commit(session, { appendSetCookie: (line) => lines.push(line) });
    const cookie = (lines[0] as string).split(";")[0] as string;

    const manager = createSessionManager<{ user: string; visits: number }>({
      secrets: [SECRET_A],
      store: migratingStore({ to, from, now: clock.now }),
      now: clock.now,
    });
    const loaded = await manager.load({ cookieHeader: cookie });
    expect(loaded.get("user")).toBe("ada");
    loaded.set("visits", 1);
    await manager.commit(loaded, { appendSetCookie: () => {} });
    expect((await to.get(loaded.id))?.data).toEqual({ user: "ada", visits: 1 });
    expect(await from.get(loaded.id)).toBeNull();

    const again = await manager.load({ cookieHeader: cookie });
    again.destroy();
    await manager.commit(again, { appendSetCookie: () => {} });
    expect(await to.get(loaded.id)).toBeNull();
    expect((await manager.load({ cookieHeader: cookie })).isNew).toBe(true);
  });
});
