/**
 * A store wrapper for the scenarios: it records every call (so "no store write" can be asserted)
 * and can be switched to fail every call (so store outages can be tested). The wrapped memory
 * store does the real work.
 */
import type { MemoryStore, Store } from "@tessera/core";

/** The store port methods a call can be recorded for. */
const METHODS = ["get", "create", "replace", "patch", "touch", "destroy", "listByOwner", "destroyByOwner"] as const;

/** A counting, optionally failing, store. */
export interface CountingStore extends Store {
  /** The methods called since the last `resetCalls()`, in order. */
  readonly calls: string[];
  /** The calls other than reads. */
  writes(): string[];
  resetCalls(): void;
  /** The memory store that does the work (for assertions that bypass the counting). */
  readonly memory: MemoryStore;
  /** While true, every call rejects with an `Error("connection refused")`, as a store outage would. */
  failing: boolean;
}

export function countingStore(inner: MemoryStore): CountingStore {
  const calls: string[] = [];
  const store = {
    name: "counting-memory",
    capabilities: inner.capabilities,
    calls,
    memory: inner,
    failing: false,
    writes: () => calls.filter((method) => method !== "get" && method !== "listByOwner"),
    resetCalls: () => {
      calls.length = 0;
    },
  } as CountingStore;
  for (const method of METHODS) {
    const target = inner[method] as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls.push(method);
      if (store.failing) return Promise.reject(new Error(`connection refused (${method})`));
      return target.apply(inner, args);
    };
  }
  return store;
}
