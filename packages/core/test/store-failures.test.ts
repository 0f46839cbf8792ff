import { describe, expect, it } from "vitest";
import { createSessionManager, isSessionError, memoryStore, type SessionEvent, type Store } from "../src/index.js";
import { SECRET_A } from "./helpers.js";

/** A store whose chosen operations fail (or hang) on demand, delegating the rest to a memory store. */
function faultyStore(faults: { fail?: Set<string>; hang?: Set<string>; lateFailure?: Set<string> }): Store {
  const inner = memoryStore();
  const wrap =
    (method: keyof Store) =>
    (...args: unknown[]): Promise<unknown> => {
      if (faults.fail?.has(method)) return Promise.reject(new Error(`connection refused during ${method}`));
      if (faults.hang?.has(method)) return new Promise(() => {});
      if (faults.lateFailure?.has(method)) {
        return new Promise((_, reject) => setTimeout(() => reject(new Error("late failure")), 60));
      }
      return (inner[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  return {
    name: "flaky",
    // It can hang, so it must not claim to be in-process (the core would skip its timeout).
    capabilities: { ...inner.capabilities, inProcess: false },
    get: wrap("get") as Store["get"],
    create: wrap("create") as Store["create"],
    replace: wrap("replace") as Store["replace"],
    patch: wrap("patch") as Store["patch"],
    touch: wrap("touch") as Store["touch"],
    destroy: wrap("destroy") as Store["destroy"],
    listByOwner: wrap("listByOwner") as Store["listByOwner"],
    destroyByOwner: wrap("destroyByOwner") as Store["destroyByOwner"],
  };
}

async function cookieFor(store: Store): Promise<string> {
  const manager = createSessionManager({ secrets: SECRET_A, store });
  const session = await manager.load({ cookieHeader: null });
  session.set("n", 1);
  let cookie = "";
  await manager.commit(session, { appendSetCookie: (line) => (cookie = line.split(";")[0] as string) });
  return cookie;
}

describe("store failures", () => {
  it("a failing get rejects load with STORE_UNAVAILABLE, the cause, and a store-error event", async () => {
    const faults = { fail: new Set<string>() };
    const store = faultyStore(faults);
    const cookie = await cookieFor(store);
    faults.fail.add("get");
    const events: SessionEvent[] = [];
    const manager = createSessionManager({ secrets: SECRET_A, store, onEvent: (e) => events.push(e) });
    const error = await manager.load({ cookieHeader: cookie }).catch((e: unknown) => e);
    expect(isSessionError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [flaky] get failed: connection refused during get",
      cause: expect.objectContaining({ message: "connection refused during get" }),
    });
    expect(events).toEqual([expect.objectContaining({ type: "store-error", operation: "get" })]);
  });

  it("a failing write rejects commit and sets no cookie", async () => {
    const store = faultyStore({ fail: new Set(["create"]) });
    const manager = createSessionManager({ secrets: SECRET_A, store });
    const session = await manager.load({ cookieHeader: null });
    session.set("n", 1);
    const lines: string[] = [];
    await expect(manager.commit(session, { appendSetCookie: (l) => lines.push(l) })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(lines).toEqual([]);
    expect(session.isNew).toBe(true);
  });

  it("a hanging store fails with STORE_TIMEOUT after storeTimeoutMs", async () => {
    const faults = { hang: new Set<string>() };
    const store = faultyStore(faults);
    const cookie = await cookieFor(store);
    faults.hang.add("get");
    const manager = createSessionManager({ secrets: SECRET_A, store, storeTimeoutMs: 50 });
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({
      code: "STORE_TIMEOUT",
      message: "[tessera] [flaky] get did not finish within 50 ms.",
    });
  });

  it("a failure that arrives after the timeout is still reported, never an unhandled rejection", async () => {
    const faults = { lateFailure: new Set<string>() };
    const store = faultyStore(faults);
    const cookie = await cookieFor(store);
    faults.lateFailure.add("get");
    const events: SessionEvent[] = [];
    const manager = createSessionManager({ secrets: SECRET_A, store, storeTimeoutMs: 20, onEvent: (e) => events.push(e) });
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({ code: "STORE_TIMEOUT" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const errors = events.filter((e) => e.type === "store-error").map((e) => (e.type === "store-error" ? e.error.code : ""));
    expect(errors).toEqual(["STORE_TIMEOUT", "STORE_UNAVAILABLE"]);
  });

  it("a store that throws synchronously is wrapped too", async () => {
    const inner = memoryStore();
    const store: Store = {
      ...inner,
      name: "sync-thrower",
      get: () => {
        throw new TypeError("boom");
      },
    };
    const cookie = await cookieFor(inner);
    const manager = createSessionManager({ secrets: SECRET_A, store });
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [sync-thrower] get failed: boom",
    });
  });

  it("a SessionError thrown by the store keeps its code", async () => {
    const inner = memoryStore();
    const { SessionError } = await import("../src/index.js");
    const store: Store = {
      ...inner,
      name: "typed",
      get: () => Promise.reject(new SessionError("STORE_TIMEOUT", "[tessera] [typed] command timed out")),
    };
    const cookie = await cookieFor(inner);
    const manager = createSessionManager({ secrets: SECRET_A, store });
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({
      code: "STORE_TIMEOUT",
      message: "[tessera] [typed] command timed out",
    });
  });

  it("a malformed record from a buggy store is a store error, not a crash", async () => {
    const inner = memoryStore();
    const store: Store = { ...inner, name: "buggy", get: async () => ({ data: null }) as never };
    const cookie = await cookieFor(inner);
    const manager = createSessionManager({ secrets: SECRET_A, store });
    await expect(manager.load({ cookieHeader: cookie })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: "[tessera] [buggy] get returned a malformed session record (a store bug).",
    });
  });
});
