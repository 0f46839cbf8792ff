#!/usr/bin/env node
/**
 * `pnpm test:runtimes`: bundles the portable session suite with esbuild (one ESM file per kind of
 * target) and runs it on every runtime of the matrix: Cloudflare workerd (miniflare, under the npm
 * node@22), Bun and Deno (their npm packages), Node 20 (this machine's), 22 and 24 (the npm `node`
 * package). Prints each runtime's cases, then a runtime × suite table.
 *
 * Options:
 *   --report <file>     write { numPassedTests, numFailedTests, numPendingTests, runtimes } as JSON
 *   --only <a,b,...>    run only these runtimes (names as in the table: workerd, bun, deno, node20, ...)
 *
 * Exits non-zero when any runtime has a failed case or could not run; the failing runtimes are
 * named in the last lines.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const here = dirname(new URL(import.meta.url).pathname);
const pkg = resolve(here, "..");
const root = resolve(pkg, "../..");
const outDir = join(root, ".tmp/runtime-tests");
const require = createRequire(join(pkg, "package.json"));
const MARKER = "@@tessera-runtime-report@@";
/** Per-runtime limit; a hung runtime fails instead of stalling the command. */
const RUNTIME_TIMEOUT_MS = 90_000;
/** Two runtimes at a time: this machine (and CI's) has two cores. */
const CONCURRENCY = 2;

const { values: args } = parseArgs({ options: { report: { type: "string" }, only: { type: "string" } } });

/** The machine's own `node`: the first on PATH outside any node_modules/.bin (pnpm may put the npm one first). */
function systemNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "" || dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return process.execPath;
}

/** The directory of an installed dependency of this package. */
function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

const node22 = () => join(packageDir("node22"), "bin", "node");
const bundles = { cli: join(outDir, "suite.cli.mjs"), worker: join(outDir, "suite.worker.mjs") };

/**
 * Each runtime: how its report must name it (so a mix-up, e.g. the wrong `node` on PATH, fails)
 * and the command that runs the suite.
 */
const RUNTIMES = [
  { name: "workerd", reports: "workerd ", command: () => [node22(), join(here, "workerd-host.mjs"), bundles.worker] },
  { name: "bun", reports: "bun ", command: () => [join(packageDir("bun"), "bin", "bun.exe"), "run", bundles.cli] },
  {
    name: "deno",
    reports: "deno ",
    command: () => [join(packageDir("deno"), "deno"), "run", "--no-config", "--no-lock", "--no-prompt", "--quiet", bundles.cli],
  },
  { name: "node20", reports: "node 20.", command: () => [systemNode(), bundles.cli] },
  { name: "node22", reports: "node 22.", command: () => [node22(), bundles.cli] },
  { name: "node24", reports: "node 24.", command: () => [join(packageDir("node24"), "bin", "node"), bundles.cli] },
];

async function bundle() {
  mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    logLevel: "warning",
    absWorkingDir: pkg,
  };
  // platform "neutral" resolves no Node built-in: a node:* import anywhere in the graph fails here.
  await Promise.all([
    build({ ...common, entryPoints: [join(pkg, "src/entries/cli.ts")], outfile: bundles.cli }),
    build({ ...common, entryPoints: [join(pkg, "src/entries/worker.ts")], outfile: bundles.worker, conditions: ["workerd", "worker"] }),
  ]);
}

/** Runs one runtime; resolves its outcome (never rejects). */
function runOne(runtime) {
  return new Promise((resolveRun) => {
    const started = Date.now();
    let argv;
    try {
      argv = runtime.command();
      accessSync(argv[0], constants.X_OK);
    } catch (error) {
      const what = argv ? relative(root, argv[0]) : error.message;
      resolveRun({ runtime, output: "", problem: `binary missing: ${what}; run pnpm install`, seconds: 0 });
      return;
    }
    const child = spawn(argv[0], argv.slice(1), {
      cwd: outDir,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), RUNTIME_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolveRun({ runtime, output, problem: `could not start: ${error.message}`, seconds: (Date.now() - started) / 1000 });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      const line = output.split("\n").find((l) => l.startsWith(MARKER));
      let report;
      try {
        report = line ? JSON.parse(line.slice(MARKER.length)) : undefined;
      } catch {}
      let problem;
      if (signal === "SIGKILL") problem = `timed out after ${RUNTIME_TIMEOUT_MS / 1000} s`;
      else if (!report) problem = `exited with ${code ?? signal} without a report`;
      else if (code !== 0) problem = `exited with ${code} after reporting`;
      else if (!report.runtime.startsWith(runtime.reports)) problem = `expected "${runtime.reports.trim()}", ran ${report.runtime}`;
      else if (report.results.length === 0) problem = "ran no test";
      resolveRun({ runtime, output, report, problem, seconds });
    });
  });
}

async function runAll(selected) {
  const outcomes = new Map();
  const queue = [...selected];
  async function worker() {
    for (let runtime = queue.shift(); runtime; runtime = queue.shift()) {
      const outcome = await runOne(runtime);
      outcomes.set(runtime.name, outcome);
      const shown = outcome.output
        .split("\n")
        .filter((l) => !l.startsWith(MARKER) && l.trim() !== "")
        .join("\n");
      const label = outcome.report?.runtime ?? runtime.name;
      console.log(`\n--- ${runtime.name} (${label}, ${outcome.seconds.toFixed(1)} s)\n${shown}`);
      if (outcome.problem) console.log(`--- ${runtime.name}: ${outcome.problem}`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, selected.length) }, worker));
  return selected.map((runtime) => outcomes.get(runtime.name));
}

function counts(results, suite) {
  const mine = suite ? results.filter((r) => r.suite === suite) : results;
  const passed = mine.filter((r) => r.status === "passed").length;
  return { passed, failed: mine.length - passed };
}

function table(outcomes) {
  const suites = [...new Set(outcomes.flatMap((o) => (o.report?.results ?? []).map((r) => r.suite)))];
  const header = ["runtime", "version", ...suites, "total", "result"];
  const rows = outcomes.map((o) => {
    const results = o.report?.results ?? [];
    const cell = ({ passed, failed }) => (failed === 0 ? `${passed} passed` : `${passed} passed, ${failed} FAILED`);
    if (!o.report) return [o.runtime.name, "-", ...suites.map(() => "-"), "not run", `FAIL (${o.problem})`];
    const failed = o.problem || counts(results).failed > 0;
    const result = o.problem ? `FAIL (${o.problem})` : failed ? "FAIL" : "ok";
    return [o.runtime.name, o.report.runtime, ...suites.map((s) => cell(counts(results, s))), cell(counts(results)), result];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const started = Date.now();
const only = args.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !RUNTIMES.some((r) => r.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown runtime(s): ${unknown.join(", ")}; known: ${RUNTIMES.map((r) => r.name).join(", ")}`);
  process.exit(2);
}
const selected = only ? RUNTIMES.filter((r) => only.includes(r.name)) : RUNTIMES;

let outcomes;
try {
  await bundle();
  outcomes = await runAll(selected);
} catch (error) {
  console.error(`bundling the suite failed: ${error.message}`);
  outcomes = selected.map((runtime) => ({ runtime, output: "", problem: "not run: the bundle failed", seconds: 0 }));
}

const perRuntime = {};
let passed = 0;
let failed = 0;
for (const o of outcomes) {
  const c = counts(o.report?.results ?? []);
  // A runtime that could not run or report counts as one failed test, so it is never silent.
  const extra = o.problem && c.failed === 0 ? 1 : 0;
  passed += c.passed;
  failed += c.failed + extra;
  perRuntime[o.runtime.name] = {
    version: o.report?.runtime ?? null,
    passed: c.passed,
    failed: c.failed + extra,
    seconds: Number(o.seconds.toFixed(1)),
    suites: Object.fromEntries([...new Set((o.report?.results ?? []).map((r) => r.suite))].map((s) => [s, counts(o.report.results, s)])),
    ...(o.problem ? { problem: o.problem } : {}),
  };
}

console.log(`\n${table(outcomes)}`);
const failing = outcomes.filter((o) => perRuntime[o.runtime.name].failed > 0).map((o) => o.runtime.name);
console.log(`\nruntime matrix: ${outcomes.length} runtimes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failing.length > 0) console.log(`FAILED on: ${failing.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
if (args.report) {
  mkdirSync(dirname(resolve(args.report)), { recursive: true });
  writeFileSync(
    resolve(args.report),
    `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, runtimes: perRuntime }, null, 2)}\n`,
  );
}
process.exitCode = failing.length > 0 ? 1 : 0;
