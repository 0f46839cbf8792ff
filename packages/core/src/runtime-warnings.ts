/**
 * Startup warnings about setups that run but will misbehave on the runtime at hand, reported once
 * per manager as a `warning` event and on the console.
 */
import { formatMessage } from "./errors.js";
import type { SessionEvent } from "./events.js";

/**
 * True on Node and on runtimes that run Node programs as they are (Bun, Deno), where one process
 * serves every request and keeps one memory store. Edge runtimes may provide a `process` object
 * for compatibility (Vercel's edge runtime, Workers' `nodejs_compat`), so their own marks are
 * checked first. Read through `globalThis`, so the core uses no Node global.
 */
export function isNodeRuntime(): boolean {
  const g = globalThis as {
    process?: { versions?: { node?: unknown } };
    EdgeRuntime?: unknown;
    navigator?: { userAgent?: unknown };
  };
  if (typeof g.EdgeRuntime === "string" || g.navigator?.userAgent === "Cloudflare-Workers") return false;
  return typeof g.process?.versions?.node === "string";
}

/** The message of the `memory-store-per-isolate` warning. */
export const MEMORY_STORE_PER_ISOLATE = formatMessage(
  undefined,
  "no `store` was given, so sessions live in this isolate's memory. Pass a store: on Workers and other isolate runtimes each isolate has its own memory, so sessions vanish at random (e.g. unstorageStore over Workers KV, or a Redis or PostgreSQL store).",
);

/**
 * Warns, once for the manager being created, when it falls back to the memory store off Node.
 * `emit` reaches the listener given as `onEvent` (the only one a new manager has).
 */
export function warnAboutDefaultStore(storeGiven: boolean, at: number, emit: (build: () => SessionEvent) => void): void {
  if (storeGiven || isNodeRuntime()) return;
  emit(() => ({ type: "warning", at, code: "memory-store-per-isolate", message: MEMORY_STORE_PER_ISOLATE }));
  // Read through `globalThis`: the core declares only the Web globals it needs.
  (globalThis as { console?: { warn?: (message: string) => void } }).console?.warn?.(MEMORY_STORE_PER_ISOLATE);
}
