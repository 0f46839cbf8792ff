import { describe, expect, it } from "vitest";
import { type OwnedSession, type SessionRecord, unconditionalStore, type WriteKind } from "../src/index.js";

function backend({ listing = false } = {}) {
  const records = new Map<string, SessionRecord>();
  const writes: WriteKind[] = [];
  const removed: string[] = [];
  const listByOwner = async (owner: string): Promise<OwnedSession[]> => {
    if (owner === "failing") throw new Error("scan aborted");
    return [...records].filter(([, record]) => record.owner === owner).map(([id, record]) => ({ id, record }));
  };
  const store = unconditionalStore<SessionRecord>({
    name: "plain",
    nativeTtl: false,
    read: async (id) => records.get(id) ?? null,
    decode: (raw) => structuredClone(raw),
    write: async (id, record, _previous, kind) => {
      writes.push(kind);
      records.set(id, structuredClone(record));
    },
    remove: async (id) => {
      if (id === "failing") throw new Error("connection reset");
      removed.push(id);
      records.delete(id);
    },
    ...(listing ? { listByOwner } : {}),
  });
  return { store, records, writes, removed };
}

const record = (n: number, owner?: string): SessionRecord => ({
  data: { n },
  createdAt: 1,
  lastSeenAt: 1,
  expiresAt: Date.now() + 60_000,
  ...(owner === undefined ? {} : { owner }),
});

describe("unconditionalStore: a Tessera store over plain get/set/destroy, with honest capabilities", () => {
  it("declares no patch, no owner index and no atomic conditional writes", () => {
    expect(backend().store.capabilities).toEqual({
      patch: false,
      touch: true,
      ownerIndex: false,
      nativeTtl: false,
      atomicConditionalWrites: false,
    });
  });

  it("create only if absent, replace and touch only if present, destroy reports a live record", async () => {
    const { store, writes } = backend();
    expect(await store.replace("a", record(1))).toBe(false);
    expect(await store.create("a", record(1))).toBe(true);
    expect(await store.create("a", record(2))).toBe(false);
    expect(await store.replace("a", record(3))).toBe(true);
    expect(await store.touch?.("a", { lastSeenAt: 5, expiresAt: Date.now() + 1000 })).toBe(true);
    expect((await store.get("a"))?.data).toEqual({ n: 3 });
    expect((await store.get("a"))?.lastSeenAt).toBe(5);
    expect(writes).toEqual(["create", "replace", "touch"]);
    expect(await store.destroy("a")).toBe(true);
    expect(await store.destroy("a")).toBe(false);
  });

  it("a backend failure is a STORE_UNAVAILABLE SessionError naming the store and the operation", async () => {
    await expect(backend().store.destroy("failing")).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [plain] destroy failed: connection reset",
    });
  });

  it("a backend that lists a user's sessions gives an owner index; destroyByOwner removes them through remove", async () => {
    const { store, removed } = backend({ listing: true });
    expect(store.capabilities.ownerIndex).toBe(true);
    await store.create("a", record(1, "ada"));
    await store.create("b", record(2, "ada"));
    await store.create("c", record(3, "bob"));
    expect((await store.listByOwner?.("ada"))?.map(({ id }) => id)).toEqual(["a", "b"]);
    expect(await store.destroyByOwner?.("ada", { except: "b" })).toBe(1);
    expect(removed).toEqual(["a"]);
    expect(await store.get("b")).not.toBeNull();
    expect(await store.get("c")).not.toBeNull();
  });

  it("without a listing there is no listByOwner nor destroyByOwner; a failed listing is STORE_UNAVAILABLE", async () => {
    const plain = backend().store;
    expect(plain.listByOwner).toBeUndefined();
    expect(plain.destroyByOwner).toBeUndefined();
    await expect(backend({ listing: true }).store.destroyByOwner?.("failing")).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [plain] listByOwner failed: scan aborted",
    });
  });
});
