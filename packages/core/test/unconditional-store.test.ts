import { describe, expect, it } from "vitest";
import { type SessionRecord, unconditionalStore, type WriteKind } from "../src/index.js";

function backend() {
  const records = new Map<string, SessionRecord>();
  const writes: WriteKind[] = [];
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
      records.delete(id);
    },
  });
  return { store, records, writes };
}

const record = (n: number): SessionRecord => ({ data: { n }, createdAt: 1, lastSeenAt: 1, expiresAt: Date.now() + 60_000 });

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
});
