import { describe, expect, it } from "vitest";
import type { LoadGenerator, SliceOptions, SliceResult } from "../src/load/load-generator.js";
import { measurePaired, summarizePaired } from "../src/paired.js";

/** A load generator that answers from a script (the real ones are exercised by `pnpm bench --quick`). */
function scripted(rates: Record<string, number[]>): LoadGenerator & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: "scripted",
    version: "0",
    calls,
    async run(options: SliceOptions): Promise<SliceResult> {
      calls.push(options.url);
      const rate = rates[options.url]?.shift() ?? 0;
      return { requests: rate, reqPerSec: rate, p50Ms: 1000 / rate, p99Ms: 2000 / rate, errorResponses: 0, socketErrors: 0 };
    },
  };
}

describe("paired measurement", () => {
  it("alternates which side goes first, after one warm-up slice each", async () => {
    const loader = scripted({ case: [1, 80, 80, 80], bare: [1, 100, 100, 100] });
    await measurePaired(
      loader,
      { url: "case", headers: {} },
      { url: "bare", headers: {} },
      {
        rounds: 3,
        sliceSeconds: 1,
        connections: 1,
        warmup: true,
      },
    );
    expect(loader.calls).toEqual(["case", "bare", "case", "bare", "bare", "case", "case", "bare"]);
  });

  it("turns server CPU per slice into CPU µs per request and a CPU ratio", async () => {
    const loader = scripted({ case: [500, 500], bare: [1000, 1000] });
    let caseCpu = 0;
    let bareCpu = 0;
    const result = await measurePaired(
      loader,
      { url: "case", headers: {}, cpuSeconds: () => (caseCpu += 0.05) },
      { url: "bare", headers: {}, cpuSeconds: () => (bareCpu += 0.05) },
      { rounds: 2, sliceSeconds: 1, connections: 1, warmup: false },
    );
    // Each slice reads the counter twice, 0.05 s apart: 0.05 s of CPU per slice.
    const summary = summarizePaired(result);
    expect(summary.cpuMicrosPerRequest).toBeCloseTo(100);
    expect(summary.bareCpuMicrosPerRequest).toBeCloseTo(50);
    expect(summary.cpuRatioToBare).toBeCloseTo(0.5);
  });

  it("takes the ratio within each round and reports medians, so drift between rounds cancels", async () => {
    // The machine slows down over the rounds; the case is always 80% of bare.
    const loader = scripted({ case: [800, 400, 200], bare: [1000, 500, 250] });
    const calledBefore: string[] = [];
    const result = await measurePaired(
      loader,
      { url: "case", headers: {} },
      { url: "bare", headers: {} },
      { rounds: 3, sliceSeconds: 1, connections: 1, warmup: false },
      async () => {
        calledBefore.push(`${loader.calls.length}`);
      },
    );
    const summary = summarizePaired(result);
    expect(result.ratios).toEqual([0.8, 0.8, 0.8]);
    expect(summary.ratioToBare).toBeCloseTo(0.8);
    expect(summary.reqPerSec).toBe(400);
    expect(summary.bareReqPerSec).toBe(500);
    expect(summary.caseRequests).toBe(1400);
    expect(calledBefore).toEqual(["0"]);
  });
});
