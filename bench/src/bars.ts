/**
 * The speed bar from the issue, evaluated against a run's figures. Reported, never asserted: a
 * missed bar does not fail the run.
 */
import type { Framework } from "./cases.js";
import type { BarResult, BenchReport, CaseResult } from "./results.js";
import type { SessionScenario } from "./scenarios.js";

/** The bar says 1 GB: taken as 10^9 bytes, the stricter reading. */
const GB = 1e9;

function find(cases: readonly CaseResult[], caseId: string, scenario: SessionScenario): CaseResult | undefined {
  return cases.find((c) => c.caseId === caseId && c.scenario === scenario && c.ok);
}

function fmt(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? "n/a" : value.toFixed(digits);
}

/** A throughput bar; the CPU-based figure, when known, is shown beside it for context. */
function atLeast(name: string, value: number | null | undefined, target: number, unit = "", cpu?: number | null): BarResult {
  const cpuNote = cpu === null || cpu === undefined ? "" : ` (CPU: ${fmt(cpu)}${unit})`;
  return {
    name,
    target: `>= ${target}${unit}`,
    figure: value === null || value === undefined ? "n/a" : `${fmt(value)}${unit}${cpuNote}`,
    met: value === null || value === undefined ? null : value >= target,
  };
}

export function evaluateBars(report: Pick<BenchReport, "cases" | "memoryCapacity">): BarResult[] {
  const bars: BarResult[] = [];
  const cases = report.cases;
  const readTargets: Record<Framework, number> = { express: 0.85, koa: 0.85, hono: 0.75 };
  for (const framework of ["express", "koa", "hono"] as const) {
    const id = `${framework}/tessera-memory`;
    const a = find(cases, id, "A");
    const b = find(cases, id, "B");
    bars.push(atLeast(`${framework} A read, memory: ratio to bare`, a?.ratioToBare, readTargets[framework], "", a?.cpuRatioToBare));
    bars.push(atLeast(`${framework} B write, memory: ratio to bare`, b?.ratioToBare, 0.7, "", b?.cpuRatioToBare));
  }
  const versus: Array<[string, string, number]> = [
    ["express/tessera-memory", "express/express-session-memory", 1.8],
    ["express/tessera-redis", "express/express-session-redis", 1.3],
    ["koa/tessera-memory", "koa/koa-session-cookie", 2],
    ["hono/tessera-memory", "hono/hono-sessions-cookie", 20],
    ["hono/tessera-memory", "hono/hono-sessions-memory", 20],
  ];
  for (const [tessera, competitor, target] of versus) {
    for (const scenario of ["A", "B"] as const) {
      const result = find(cases, tessera, scenario);
      bars.push(
        atLeast(
          `${tessera} vs ${competitor}, ${scenario}`,
          result?.ratiosToCompetitors[competitor],
          target,
          "x",
          result?.cpuRatiosToCompetitors[competitor],
        ),
      );
    }
  }
  for (const framework of ["express", "koa", "hono"] as const) {
    const id = `${framework}/tessera-redis`;
    for (const [scenario, reads, writes] of [
      ["A", 1, 0],
      ["B", 1, 1],
    ] as const) {
      const census = find(cases, id, scenario)?.redis?.roundTrips;
      bars.push({
        name: `${id} ${scenario}: Redis round trips per request`,
        target: `${reads} read, ${writes} write`,
        figure: census ? `${fmt(census.reads)} read, ${fmt(census.writes)} write, ${fmt(census.other)} other` : "n/a",
        met: census ? census.reads === reads && census.writes === writes && census.other === 0 : null,
      });
    }
  }
  const capacity = report.memoryCapacity?.result;
  bars.push({
    name: `memory store: RSS with ${capacity ? capacity.sessions.toLocaleString("en-US") : "1,000,000"} small sessions`,
    target: "< 1 GB (1,000,000 sessions)",
    figure: capacity ? `${(capacity.rssAfterBytes / 1024 ** 2).toFixed(0)} MiB (${capacity.rssBytesPerSession} B/session)` : "n/a",
    met: capacity && capacity.sessions >= 1_000_000 ? capacity.rssAfterBytes < GB : null,
  });
  return bars;
}
