/**
 * Memory-store capacity: RSS of a process holding N small sessions (default one million) created
 * through the manager, as the load benchmark's C scenario creates them. Needs `--expose-gc`, so
 * that the before/after figures are taken after full collections. Prints one JSON line.
 *
 * `node --expose-gc dist/memory-capacity.js [--sessions 1000000]`
 */
import { createSessionManager, memoryStore } from "@tessera/core";
import { numberOption } from "./cli-args.js";
import { BENCH_SECRET, SEEDED_USER } from "./scenarios.js";

export interface MemoryCapacityResult {
  sessions: number;
  /** Entries the store held at the end (must equal `sessions`: nothing evicted). */
  storedSessions: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapUsedBeforeBytes: number;
  heapUsedAfterBytes: number;
  /** (RSS after − RSS before) ÷ sessions. */
  rssBytesPerSession: number;
  /** (heap used after − heap used before) ÷ sessions. */
  heapBytesPerSession: number;
  createsPerSecond: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("memory-capacity needs node --expose-gc");
  gc();
  gc();
}

async function main(): Promise<void> {
  const sessions = Math.floor(numberOption(process.argv.slice(2), "sessions", 1_000_000));
  const store = memoryStore({ maxEntries: sessions });
  const manager = createSessionManager({ secrets: [BENCH_SECRET], store });
  const sink = { appendSetCookie() {} };

  collect();
  const before = process.memoryUsage();
  const started = performance.now();
  for (let i = 0; i < sessions; i++) {
    const session = await manager.load({ cookieHeader: null });
    session.set("counter", i);
    session.set("user", SEEDED_USER);
    await manager.commit(session, sink);
  }
  const seconds = (performance.now() - started) / 1000;
  collect();
  const after = process.memoryUsage();
  const result: MemoryCapacityResult = {
    sessions,
    storedSessions: store.size,
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    heapUsedBeforeBytes: before.heapUsed,
    heapUsedAfterBytes: after.heapUsed,
    rssBytesPerSession: Math.round((after.rss - before.rss) / sessions),
    heapBytesPerSession: Math.round((after.heapUsed - before.heapUsed) / sessions),
    createsPerSecond: Math.round(sessions / seconds),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
