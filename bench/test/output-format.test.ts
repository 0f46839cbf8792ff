import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluateBars } from "../src/bars.js";
import { caseById } from "../src/cases.js";
import { addCompetitorRatios } from "../src/comparisons.js";
import { formatJson, roundNumbers } from "../src/json-format.js";
import { renderResultsMarkdown } from "../src/report.js";
import type { BenchReport, CaseResult } from "../src/results.js";
import type { Scenario } from "../src/scenarios.js";

// The repository's formatter, as `pnpm test` runs it.
const BIOME = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));

function biomeFormat(text: string, fileName: string): string {
  const result = spawnSync(BIOME, ["format", `--stdin-file-path=${fileName}`], { input: text, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

function row(caseId: string, scenario: Scenario, ratioToBare: number): CaseResult {
  const spec = caseById(caseId);
  return {
    caseId,
    framework: spec.framework,
    library: spec.library,
    store: spec.store,
    label: spec.label,
    scenario,
    ok: true,
    checks: ["GET / finds the seeded session (counter 0)", "a second GET / finds it unchanged"],
    reqPerSec: 9000 * ratioToBare,
    p50Ms: 0.81,
    p99Ms: 2.345,
    bareReqPerSec: 9000,
    bareP50Ms: 0.7,
    bareP99Ms: 1.9,
    ratioToBare,
    ratioToBareMin: ratioToBare - 0.02,
    ratioToBareMax: ratioToBare + 0.03,
    ratioToCompetitor: null,
    competitor: null,
    ratiosToCompetitors: {},
    cpuRatiosToCompetitors: {},
    cpuMicrosPerRequest: 100 / ratioToBare,
    bareCpuMicrosPerRequest: 100,
    cpuRatioToBare: ratioToBare,
    rounds: 7,
    measuredRequests: 60_000,
  };
}

function sampleReport(): BenchReport {
  const redis = row("express/tessera-redis", "B", 0.5);
  redis.redis = {
    commandsPerRequest: { hgetall: 1.0012, evalsha: 1.0012, hset: 2.0024 },
    roundTrips: { requests: 50, reads: 1, writes: 1, other: 0, byCommand: { "hgetall (read)": 1, "evalsha (write)": 1 } },
  };
  const cases = [
    { ...row("express/bare", "bare", 1), checks: ["GET / answers {ok:true}"] },
    row("express/tessera-memory", "A", 0.9),
    row("express/express-session-memory", "A", 0.45),
    redis,
    { ...row("hono/tessera-memory", "C", 0.5), ok: false, error: "C GET / without a cookie: no Set-Cookie in the response" },
  ];
  addCompetitorRatios(cases);
  const report: BenchReport = {
    generatedAt: "2026-11-25T21:00:00.000Z",
    quick: false,
    environment: {
      node: "v20.20.2",
      cpu: "AMD EPYC",
      cores: 2,
      loadAverageBefore: [1.5, 1.2, 1],
      loadAverageAfter: [2.1, 1.6, 1.1],
      loadGenerator: "wrk 4.1.0",
    },
    settings: { rounds: 7, sliceSeconds: 1, connections: 10 },
    cases,
    touchThrottle: [
      { caseId: "express/tessera-redis", ok: true, touchAfterSeconds: 1, seconds: 5, requests: 20_000, writes: 50, connections: 10 },
    ],
    coreMicro: {
      ok: true,
      result: {
        rounds: 7,
        ops: 100_000,
        results: {
          read: { medianMicros: 13, minMicros: 12.5 },
          write: { medianMicros: 25, minMicros: 24 },
          new: { medianMicros: 16, minMicros: 15 },
          "read-crowded": { medianMicros: 14, minMicros: 13 },
        },
      },
    },
    memoryCapacity: { ok: false, error: "exit code 1" },
    bars: [],
  };
  report.bars = evaluateBars(report);
  return report;
}

describe("written results are already formatted", () => {
  it("results.json", () => {
    const json = formatJson(sampleReport());
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(sampleReport())));
    expect(biomeFormat(json, "results.json")).toBe(json);
  });

  it("results.json with figures rounded to 4 decimals", () => {
    const json = formatJson(roundNumbers({ ratio: 0.5918222744712069, count: 12, list: [1.23456789], none: null }));
    expect(JSON.parse(json)).toEqual({ ratio: 0.5918, count: 12, list: [1.2346], none: null });
    expect(biomeFormat(json, "results.json")).toBe(json);
  });

  it("RESULTS.md", () => {
    const markdown = renderResultsMarkdown(sampleReport());
    expect(markdown).toContain("| Express + Tessera (memory)");
    expect(biomeFormat(markdown, "RESULTS.md")).toBe(markdown);
  });
});
