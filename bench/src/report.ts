/** Renders a run as Markdown: the table printed by `pnpm bench` and the body of `RESULTS.md`. */
import { CORE_MICRO_PATHS } from "./core-micro-paths.js";
import type { BenchReport, CaseResult } from "./results.js";
import { SCENARIO_LABELS } from "./scenarios.js";

function num(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

function int(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : Math.round(value).toLocaleString("en-US");
}

/** A Markdown table with padded columns (the layout Biome's formatter keeps). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(3, cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function shortCompetitor(id: string | null): string {
  return id === null ? "" : (id.split("/")[1] ?? id);
}

function ratioCell(c: CaseResult): string {
  if (c.library === "bare") return c.reqPerSec === null ? "—" : "1";
  if (c.ratioToBare === null) return "—";
  return `${num(c.ratioToBare, 2)} (${num(c.ratioToBareMin, 2)}–${num(c.ratioToBareMax, 2)})`;
}

function competitorCell(c: CaseResult): string {
  const entries = Object.entries(c.ratiosToCompetitors);
  if (entries.length === 0) return "";
  return entries.map(([id, ratio]) => `${num(ratio, 2)}× ${shortCompetitor(id)}`).join("<br>");
}

function redisCell(c: CaseResult): string {
  const statements = c.postgres?.census;
  if (statements) return `${num(statements.reads, 2)} r / ${num(statements.writes, 2)} w SQL`;
  const trips = c.redis?.roundTrips;
  if (!trips) return "";
  return `${num(trips.reads, 2)} r / ${num(trips.writes, 2)} w`;
}

export function casesTable(cases: readonly CaseResult[]): string {
  const rows = cases.map((c) => [
    c.label,
    SCENARIO_LABELS[c.scenario],
    c.ok ? int(c.reqPerSec) : "FAILED",
    num(c.p50Ms, 2),
    num(c.p99Ms, 2),
    c.library === "bare" ? "" : int(c.bareReqPerSec),
    ratioCell(c),
    num(c.cpuMicrosPerRequest, 0),
    c.library === "bare" ? "" : num(c.cpuRatioToBare, 2),
    competitorCell(c),
    redisCell(c),
  ]);
  return table(
    [
      "Case",
      "Scenario",
      "req/s",
      "p50 ms",
      "p99 ms",
      "paired bare req/s",
      "ratio to bare (min–max)",
      "server CPU µs/req",
      "CPU ratio to bare",
      "vs competitor",
      "store round trips/req (Redis commands or SQL statements)",
    ],
    rows,
  );
}

function redisTable(cases: readonly CaseResult[]): string {
  const rows = cases
    .filter((c) => c.redis)
    .map((c) => {
      const redis = c.redis as NonNullable<CaseResult["redis"]>;
      const trips = Object.entries(redis.roundTrips.byCommand)
        .map(([name, n]) => `${name} ${num(n, 2)}`)
        .join(", ");
      const stats = Object.entries(redis.commandsPerRequest)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${num(n, 2)}`)
        .join(", ");
      return [c.label, SCENARIO_LABELS[c.scenario], trips, stats];
    });
  return table(
    ["Case", "Scenario", "round trips per request (MONITOR census)", "commands per request (INFO commandstats, incl. inside scripts)"],
    rows,
  );
}

function failures(report: BenchReport): string[] {
  const out: string[] = [];
  for (const c of report.cases) if (!c.ok) out.push(`- ${c.caseId} ${c.scenario}: ${c.error ?? "failed"}`);
  for (const t of report.touchThrottle) if (!t.ok) out.push(`- ${t.caseId} touch throttle: ${t.error ?? "failed"}`);
  if (report.coreMicro && !report.coreMicro.ok) out.push(`- core micro-benchmark: ${report.coreMicro.error}`);
  if (report.memoryCapacity && !report.memoryCapacity.ok) out.push(`- memory capacity: ${report.memoryCapacity.error}`);
  return out;
}

/** The tables `pnpm bench` prints and `RESULTS.md` contains. */
export function renderTables(report: BenchReport): string {
  const parts: string[] = [];
  parts.push("### Load (median of paired rounds)", "", casesTable(report.cases), "");
  if (report.cases.some((c) => c.redis)) parts.push("### Redis commands", "", redisTable(report.cases), "");
  if (report.touchThrottle.length > 0) {
    parts.push(
      "### Touch throttle (Tessera + Redis, scenario A, `touchAfterSeconds: 1`)",
      "",
      table(
        ["Case", "run", "requests", "store writes", "connections"],
        report.touchThrottle.map((t) => [
          t.caseId,
          `${t.seconds} s`,
          t.ok ? int(t.requests) : "FAILED",
          t.ok ? String(t.writes) : "—",
          String(t.connections),
        ]),
      ),
      "",
    );
  }
  const micro = report.coreMicro?.result;
  if (micro) {
    parts.push(
      `### Core micro-benchmark (load + commit, memory store; ${micro.rounds} rounds × ${micro.ops.toLocaleString("en-US")} ops)`,
      "",
      table(
        ["Path", "median µs/op", "min µs/op"],
        // Results written before a path existed have no row for it.
        CORE_MICRO_PATHS.flatMap((path) => {
          const figures = micro.results[path];
          return figures === undefined ? [] : [[path, num(figures.medianMicros, 2), num(figures.minMicros, 2)]];
        }),
      ),
      "",
    );
  }
  const capacity = report.memoryCapacity?.result;
  if (capacity) {
    const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
    parts.push(
      "### Memory-store capacity",
      "",
      table(
        ["sessions", "RSS before", "RSS after", "RSS bytes/session", "heap bytes/session", "creates/s"],
        [
          [
            capacity.sessions.toLocaleString("en-US"),
            mib(capacity.rssBeforeBytes),
            mib(capacity.rssAfterBytes),
            String(capacity.rssBytesPerSession),
            String(capacity.heapBytesPerSession),
            int(capacity.createsPerSecond),
          ],
        ],
      ),
      "",
    );
  }
  if (report.bars.length > 0) {
    parts.push(
      "### The bar",
      "",
      table(
        ["Bar", "target", "figure", "met"],
        report.bars.map((b) => [b.name, b.target, b.figure, b.met === null ? "n/a" : b.met ? "yes" : "**no**"]),
      ),
      "",
    );
  }
  const failed = failures(report);
  if (failed.length > 0) parts.push("### Failures", "", ...failed, "");
  return parts.join("\n");
}

export function renderResultsMarkdown(report: BenchReport): string {
  const env = report.environment;
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
  return [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (the last full run); `results.json` holds the same figures. See `README.md` for the method.",
    "",
    `- Date: ${report.generatedAt}`,
    `- Node: ${env.node}`,
    `- CPU: ${env.cpu} (${env.cores} cores)`,
    `- Load average (1, 5, 15 min) before: ${load(env.loadAverageBefore)}; after: ${load(env.loadAverageAfter)}`,
    `- Load generator: ${env.loadGenerator}, ${report.settings.connections} connections over loopback`,
    ...(env.note ? [`- Note: ${env.note}`] : []),
    `- Paired rounds: ${report.settings.rounds} × (${report.settings.sliceSeconds} s case + ${report.settings.sliceSeconds} s bare), after one warm-up slice each`,
    "",
    renderTables(report),
  ].join("\n");
}
