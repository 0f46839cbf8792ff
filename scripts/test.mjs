#!/usr/bin/env node
/**
 * `pnpm test`: the whole suite in one command. Builds every package, runs the static checks
 * (format + lint, changesets, type-check, package exports), then every vitest project (unit,
 * conformance, integration against real servers, browser e2e), the adapter and store projects
 * again on the lowest version of each peer dependency (scripts/lowest-peers.mjs, needs the npm
 * registry), then the suites that run outside vitest (other runtimes, the benchmark smoke run)
 * when they exist.
 *
 * Ends with one line: `N passed, N failed[, N skipped]`. Static checks count as one test each.
 * Exit code is non-zero when anything failed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const tmp = join(root, ".tmp");
mkdirSync(tmp, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(command, args, { env } = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/** A step that counts as one test. */
function check(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const { ok, seconds } = run(command, args);
  console.log(`=== ${name}: ${ok ? "passed" : "FAILED"} (${seconds} s)`);
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
  return ok;
}

/** A step that writes a vitest-style JSON report; its test counts are added. */
function suite(name, command, args, reportFile) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  rmSync(reportFile, { force: true });
  const { ok, seconds } = run(command, args);
  if (!existsSync(reportFile)) {
    console.log(`=== ${name}: FAILED before reporting (${seconds} s)`);
    totals.failed++;
    failures.push(name);
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  const passed = report.numPassedTests ?? 0;
  const failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite file that failed to load has no failed tests but is a failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed"),
  ).length;
  totals.passed += passed;
  totals.failed += failed + brokenFiles;
  totals.skipped += skipped;
  if (!ok || failed + brokenFiles > 0) failures.push(name);
  console.log(`=== ${name}: ${passed} passed, ${failed + brokenFiles} failed, ${skipped} skipped (${seconds} s)`);
}

const built = check("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
check("format + lint (biome)", "pnpm", ["exec", "biome", "check", "."]);
check("changesets", "node", ["scripts/check-changesets.mjs"]);
if (built) {
  check("type-check", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
  check("package exports (publint + attw)", "pnpm", ["exec", "turbo", "run", "lint:package", "--output-logs=errors-only"]);
  check("web-standard check (core, adapter-hono)", "node", ["scripts/check-web-standard.mjs"]);
  suite(
    "vitest",
    "pnpm",
    ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${join(tmp, "vitest.json")}`],
    join(tmp, "vitest.json"),
  );
  // The adapter and store suites again, on the lowest version of every peer dependency range.
  suite(
    "lowest peers",
    "node",
    ["scripts/lowest-peers.mjs", "--use-built", "--report", join(tmp, "lowest-peers.json")],
    join(tmp, "lowest-peers.json"),
  );
  for (const extra of ["test:runtimes", "bench:smoke"]) {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    if (pkg.scripts?.[extra])
      suite(
        extra,
        "pnpm",
        ["run", extra, "--report", join(tmp, `${extra.replace(":", "-")}.json`)],
        join(tmp, `${extra.replace(":", "-")}.json`),
      );
  }
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join(", ")}`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
