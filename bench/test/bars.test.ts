import { describe, expect, it } from "vitest";
import { evaluateBars } from "../src/bars.js";
import { caseById } from "../src/cases.js";
import { addCompetitorRatios } from "../src/comparisons.js";
import type { CaseResult } from "../src/results.js";
import type { SessionScenario } from "../src/scenarios.js";

function result(caseId: string, scenario: SessionScenario, ratioToBare: number): CaseResult {
  const spec = caseById(caseId);
  return {
    caseId,
    framework: spec.framework,
    library: spec.library,
    store: spec.store,
    label: spec.label,
    scenario,
    ok: true,
    checks: [],
    reqPerSec: ratioToBare * 1000,
    p50Ms: 1,
    p99Ms: 2,
    bareReqPerSec: 1000,
    bareP50Ms: 1,
    bareP99Ms: 2,
    ratioToBare,
    ratioToBareMin: ratioToBare,
    ratioToBareMax: ratioToBare,
    ratioToCompetitor: null,
    competitor: null,
    ratiosToCompetitors: {},
    cpuRatiosToCompetitors: {},
    cpuMicrosPerRequest: 100 / ratioToBare,
    bareCpuMicrosPerRequest: 100,
    cpuRatioToBare: ratioToBare,
    rounds: 1,
    measuredRequests: 1000,
  };
}

describe("competitor ratios and the bar", () => {
  it("divides ratios to bare and keeps the least favourable competitor", () => {
    const cases = [
      result("hono/tessera-memory", "A", 0.8),
      result("hono/hono-sessions-cookie", "A", 0.05),
      result("hono/hono-sessions-memory", "A", 0.04),
    ];
    addCompetitorRatios(cases);
    const tessera = cases[0] as CaseResult;
    expect(tessera.ratiosToCompetitors["hono/hono-sessions-cookie"]).toBeCloseTo(16);
    expect(tessera.ratiosToCompetitors["hono/hono-sessions-memory"]).toBeCloseTo(20);
    expect(tessera.ratioToCompetitor).toBeCloseTo(16);
    expect(tessera.competitor).toBe("hono/hono-sessions-cookie");
  });

  it("marks each bar met, missed or not measured", () => {
    const cases = [result("express/tessera-memory", "A", 0.9), result("express/tessera-memory", "B", 0.6)];
    const bars = evaluateBars({ cases, memoryCapacity: null });
    const bar = (name: string) => bars.find((b) => b.name === name);
    expect(bar("express A read, memory: ratio to bare")).toMatchObject({ met: true, figure: "0.90 (CPU: 0.90)" });
    expect(bar("express B write, memory: ratio to bare")).toMatchObject({ met: false, figure: "0.60 (CPU: 0.60)" });
    expect(bar("koa A read, memory: ratio to bare")).toMatchObject({ met: null, figure: "n/a" });
  });

  it("judges Redis round trips and the 1M-session memory bar", () => {
    const a = result("koa/tessera-redis", "A", 0.5);
    a.redis = { commandsPerRequest: {}, roundTrips: { requests: 10, reads: 1, writes: 0, other: 0, byCommand: {} } };
    const b = result("koa/tessera-redis", "B", 0.5);
    b.redis = { commandsPerRequest: {}, roundTrips: { requests: 10, reads: 1, writes: 2, other: 0, byCommand: {} } };
    const capacity = {
      sessions: 1_000_000,
      storedSessions: 1_000_000,
      rssBeforeBytes: 50e6,
      rssAfterBytes: 600e6,
      heapUsedBeforeBytes: 5e6,
      heapUsedAfterBytes: 500e6,
      rssBytesPerSession: 550,
      heapBytesPerSession: 495,
      createsPerSecond: 50_000,
    };
    const bars = evaluateBars({ cases: [a, b], memoryCapacity: { ok: true, result: capacity } });
    expect(bars.find((x) => x.name === "koa/tessera-redis A: Redis round trips per request")?.met).toBe(true);
    expect(bars.find((x) => x.name === "koa/tessera-redis B: Redis round trips per request")?.met).toBe(false);
    expect(bars.find((x) => x.name.startsWith("memory store"))?.met).toBe(true);
  });
});
