/**
 * `pnpm bench`: the whole benchmark: the load benchmark (every case and scenario, paired with its
 * framework's bare server), the core micro-benchmark and the memory-store capacity run. Prints a
 * table; a full run writes `RESULTS.md` and `results.json` beside this package's `package.json`.
 *
 * Flags:
 *   --quick            smoke mode: one short round per case, smaller micro and capacity runs; writes no results files
 *   --report <file>    also write `{ numPassedTests, numFailedTests, numPendingTests }` (one test per verified case × scenario and per run)
 *   --only a,b         only cases whose `<case id>:<scenario>` contains one of these (e.g. `express/,hono/tessera-memory:A`)
 *   --rounds N         paired rounds (default 7; quick 1)          --slice S        slice seconds (default 1)
 *   --connections N    concurrent connections (default 10)         --loader wrk|autocannon|auto (default auto: wrk if installed)
 *   --no-load --no-micro --no-capacity                             skip a part
 *   --write / --no-write                                           force writing (or not) RESULTS.md and results.json
 *   --note "text"      recorded in RESULTS.md (e.g. what else ran on the machine)
 *   --render           rewrite RESULTS.md from results.json without measuring (after a --note or format change)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "@tessera/test-postgres";
import { startRedisServer } from "@tessera/test-redis";
import { evaluateBars } from "./bars.js";
import { CASES, FRAMEWORKS } from "./cases.js";
import { runChildJson } from "./child-run.js";
import { hasFlag, numberOption, stringOption } from "./cli-args.js";
import { addCompetitorRatios } from "./comparisons.js";
import type { CoreMicroResult } from "./core-micro.js";
import { coreCount, cpuModel, loadAverage } from "./environment.js";
import { formatJson, roundNumbers } from "./json-format.js";
import { type LoaderChoice, selectLoadGenerator } from "./load/select.js";
import type { MemoryCapacityResult } from "./memory-capacity.js";
import { enableStatementStats } from "./postgres-stats.js";
import { renderResultsMarkdown, renderTables } from "./report.js";
import type { BenchReport } from "./results.js";
import { runLoad } from "./run-load.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Paths on the command line are relative to where the user ran `pnpm`, not to this package. */
function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

function writeResults(report: BenchReport): void {
  writeFileSync(resolve(PACKAGE_DIR, "results.json"), formatJson(roundNumbers(report)));
  writeFileSync(resolve(PACKAGE_DIR, "RESULTS.md"), renderResultsMarkdown(report));
  log(`wrote ${resolve(PACKAGE_DIR, "RESULTS.md")} and results.json`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const note = stringOption(args, "note");
  if (hasFlag(args, "render")) {
    const report = JSON.parse(readFileSync(resolve(PACKAGE_DIR, "results.json"), "utf8")) as BenchReport;
    if (note !== undefined) report.environment.note = note;
    writeResults(report);
    return 0;
  }
  const quick = hasFlag(args, "quick");
  const reportFile = stringOption(args, "report");
  const filters = (stringOption(args, "only") ?? "").split(",").filter(Boolean);
  const rounds = Math.floor(numberOption(args, "rounds", quick ? 1 : 7));
  const sliceSeconds = Math.floor(numberOption(args, "slice", 1));
  const connections = Math.floor(numberOption(args, "connections", 10));
  const write = hasFlag(args, "write") || (!hasFlag(args, "no-write") && !quick && filters.length === 0);
  const loader = selectLoadGenerator((stringOption(args, "loader") ?? "auto") as LoaderChoice);

  const loadAverageBefore = loadAverage();
  log(`tessera bench${quick ? " (quick)" : ""}: node ${process.version}, ${cpuModel()}, load average ${loadAverageBefore.join(" ")}`);
  log(`load generator: ${loader.name} ${loader.version}, ${connections} connections, ${rounds} rounds of ${sliceSeconds} s slices`);

  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    quick,
    environment: {
      node: process.version,
      cpu: cpuModel(),
      cores: coreCount(),
      loadAverageBefore,
      loadAverageAfter: [],
      loadGenerator: `${loader.name} ${loader.version}`,
      ...(note !== undefined ? { note } : {}),
    },
    settings: { rounds, sliceSeconds, connections },
    cases: [],
    touchThrottle: [],
    coreMicro: null,
    memoryCapacity: null,
    bars: [],
  };

  if (!hasFlag(args, "no-load")) {
    const wanted = (c: (typeof CASES)[number]) => filters.length === 0 || filters.some((f) => c.id.includes(f) || f.includes(c.id));
    const needsRedis = CASES.some((c) => c.redis && wanted(c));
    const needsPostgres = CASES.some((c) => c.postgres && wanted(c));
    const redis = needsRedis
      ? await startRedisServer().catch((error: unknown) => {
          log(`redis: ${String(error)}`);
          return null;
        })
      : null;
    const postgres = needsPostgres
      ? await startPostgres({ settings: { shared_preload_libraries: "pg_stat_statements" } })
          .then(async (server) => {
            await enableStatementStats(server);
            return server;
          })
          .catch((error: unknown) => {
            log(`postgres: ${String(error)}`);
            return null;
          })
      : null;
    try {
      const output = await runLoad(
        {
          loader,
          filters,
          redis,
          postgres,
          rounds,
          sliceSeconds,
          connections,
          warmup: !quick,
          censusRequests: quick ? 10 : 50,
          touchRunSeconds: quick ? 2 : 5,
          log,
        },
        FRAMEWORKS,
      );
      report.cases = output.cases;
      report.touchThrottle = output.touchThrottle;
    } finally {
      await Promise.all([redis?.stop(), postgres?.stop()]);
    }
    addCompetitorRatios(report.cases);
  }
  if (!hasFlag(args, "no-micro")) {
    log("core micro-benchmark ...");
    report.coreMicro = await runChildJson<CoreMicroResult>(
      "core-micro.js",
      [],
      quick ? ["--rounds", "3", "--ops", "10000"] : ["--rounds", "7", "--ops", "100000"],
    );
  }
  if (!hasFlag(args, "no-capacity")) {
    const sessions = quick ? 100_000 : 1_000_000;
    log(`memory-store capacity (${sessions.toLocaleString("en-US")} sessions) ...`);
    report.memoryCapacity = await runChildJson<MemoryCapacityResult>(
      "memory-capacity.js",
      ["--expose-gc"],
      ["--sessions", String(sessions)],
    );
  }
  report.environment.loadAverageAfter = loadAverage();
  report.bars = evaluateBars(report);

  process.stdout.write(`\n${renderTables(report)}\n`);
  log(`load average after: ${report.environment.loadAverageAfter.join(" ")}`);
  if (write) writeResults(report);

  const outcomes = [
    ...report.cases.map((c) => c.ok),
    ...report.touchThrottle.map((t) => t.ok),
    ...(report.coreMicro ? [report.coreMicro.ok] : []),
    ...(report.memoryCapacity ? [report.memoryCapacity.ok] : []),
  ];
  const passed = outcomes.filter(Boolean).length;
  const failed = outcomes.length - passed;
  if (reportFile) {
    writeFileSync(userPath(reportFile), `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0 })}\n`);
  }
  log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
