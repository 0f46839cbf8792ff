#!/usr/bin/env node
/**
 * Micro-benchmark of the core alone: `load` + `commit` per simulated request with the memory
 * store, on the read path (session read, unchanged), the write path (a counter incremented) and
 * the new-session path (no cookie; a session created). Prints µs/op as the median of several
 * rounds. Run after `pnpm build`: `node packages/core/bench/load-commit.mjs [--rounds 7] [--ops 100000]`.
 */
import { createSessionManager, memoryStore } from "../dist/index.js";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const rounds = option("rounds", 7);
const ops = option("ops", 100_000);

const manager = createSessionManager({
  secrets: ["benchmark-secret-0123456789abcdefghijklmnop"],
  store: memoryStore({ maxEntries: 1_000_000 }),
});
const sink = { appendSetCookie() {} };
let cookie = "";
const seed = await manager.load({ cookieHeader: null });
seed.set("counter", 0);
seed.set("user", { id: "u-1", name: "Ann", roles: ["reader"] });
await manager.commit(seed, { appendSetCookie: (line) => (cookie = line.split(";")[0]) });

const scenarios = {
  read: async () => {
    const session = await manager.load({ cookieHeader: cookie });
    session.get("counter");
    await manager.commit(session, sink);
  },
  write: async () => {
    const session = await manager.load({ cookieHeader: cookie });
    session.set("counter", session.get("counter") + 1);
    await manager.commit(session, sink);
  },
  new: async () => {
    const session = await manager.load({ cookieHeader: null });
    session.set("counter", 1);
    await manager.commit(session, sink);
  },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = {};
for (const [name, run] of Object.entries(scenarios)) {
  for (let i = 0; i < ops / 5; i++) await run(); // warm-up
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < ops; i++) await run();
    samples.push(((performance.now() - started) * 1000) / ops);
  }
  results[name] = { medianMicros: Number(median(samples).toFixed(2)), minMicros: Number(Math.min(...samples).toFixed(2)) };
}
console.log(JSON.stringify({ node: process.version, rounds, ops, results }, null, 2));
