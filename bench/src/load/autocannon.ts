/**
 * autocannon as the load generator (the fallback when wrk is not installed, e.g. in CI's smoke
 * run). It runs inside the orchestrating process, which is never the server's process. Its
 * latency histogram has whole-millisecond resolution, so p50/p99 are coarse.
 */
import { createRequire } from "node:module";
import autocannon from "autocannon";
import type { LoadGenerator, SliceOptions, SliceResult } from "./load-generator.js";

export function autocannonGenerator(): LoadGenerator {
  const version = (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;
  return {
    name: "autocannon",
    version,
    async run(options: SliceOptions): Promise<SliceResult> {
      const result = await autocannon({
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: { ...options.headers },
      });
      return {
        requests: result.requests.total,
        reqPerSec: result.requests.total / Math.max(result.duration, 0.001),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errorResponses: result.non2xx,
        socketErrors: result.errors + result.timeouts,
      };
    },
  };
}
