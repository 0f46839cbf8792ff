/**
 * The API report of every published package: for each entry of a package's `exports` that has
 * types, API Extractor reads the built `.d.ts` and writes `packages/<pkg>/api/<entry>.api.md`
 * (`.` is `index`, `./internal` is `internal`). The reports are checked in, so a change to what a
 * package exports shows up in the diff and is reviewed as a decision.
 *
 * `updateReports()` rewrites them; `checkReports()` compares them with the built packages and
 * lists the entries that differ (a changed, missing or stale report). Both need a build first.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

/** The monorepo root. */
export const ROOT = new URL("../../..", import.meta.url).pathname.replace(/\/$/, "");

/** What to do when a report differs, printed by the check. */
export const UPDATE_HINT = "run `pnpm api:update` and review the diff of packages/*/api/*.api.md: every new export is a decision.";

/**
 * Every report the published packages should have, sorted: one per `exports` entry with types.
 * @returns {{ packageName: string, packageDir: string, entry: string, reportName: string, typesFile: string }[]}
 */
export function reportEntries() {
  const packagesDir = join(ROOT, "packages");
  const entries = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    const packageJsonPath = join(packagesDir, dir, "package.json");
    if (!existsSync(packageJsonPath)) continue;
    const pkg = JSON.parse(readFileSync(packageJsonPath, "utf8"));
    if (pkg.private) continue;
    for (const [entry, target] of Object.entries(pkg.exports ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const types = target?.import?.types ?? target?.types;
      if (typeof types !== "string") continue;
      const reportName = entry === "." ? "index" : entry.replace(/^\.\//, "").replaceAll("/", "-");
      entries.push({
        packageName: pkg.name,
        packageDir: join(packagesDir, dir),
        entry,
        reportName,
        typesFile: join(packagesDir, dir, types),
      });
    }
  }
  return entries;
}

/** API Extractor's messages that are not about the API surface (TSDoc style, release tags). */
const QUIET = { logLevel: "none", addToApiReportFile: false };

/**
 * The report API Extractor writes for one entry, with the `.d.ts` file and line of each warning
 * left out: bundled declaration chunks have content hashes in their names, so any edit moves them.
 */
function extract(item, tempDir) {
  if (!existsSync(item.typesFile)) {
    throw new Error(`${relative(ROOT, item.typesFile)} is missing: build the packages first (pnpm exec turbo run build).`);
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: item.packageDir,
      mainEntryPointFilePath: item.typesFile,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            lib: ["ES2023", "DOM"],
            types: [],
            skipLibCheck: true,
          },
          files: [item.typesFile],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: item.reportName,
        // Written to a scratch folder first: the checked-in file is compared (or replaced) after normalising.
        reportFolder: join(tempDir, basename(item.packageDir), "report"),
        reportTempFolder: join(tempDir, basename(item.packageDir), "temp"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages: {
        compilerMessageReporting: { default: { logLevel: "warning" } },
        extractorMessageReporting: {
          default: { logLevel: "warning", addToApiReportFile: true },
          "ae-missing-release-tag": QUIET,
          "ae-unresolved-link": QUIET,
          // Listed with .d.ts line numbers, which any edit shifts: churn, not an API change.
          "ae-undocumented": QUIET,
          "ae-setter-with-docs": QUIET,
          // An internal entry's signatures name the public entry's types, which it need not repeat.
          ...(item.entry === "." ? {} : { "ae-forgotten-export": QUIET }),
        },
        tsdocMessageReporting: { default: QUIET },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(item.packageDir, "package.json"),
  });
  mkdirSync(join(tempDir, basename(item.packageDir), "report"), { recursive: true });
  const problems = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback(message) {
      // The report itself is the output; the console stays quiet unless something is wrong.
      message.handled = true;
      if (message.logLevel === "error" || (message.logLevel === "warning" && !message.messageId.startsWith("ae-"))) {
        problems.push(`${message.messageId}: ${message.text}`);
      }
    },
  });
  const written = join(tempDir, basename(item.packageDir), "report", `${item.reportName}.api.md`);
  if (!result.succeeded || !existsSync(written)) {
    throw new Error(`API Extractor failed on ${item.packageName} ${item.entry}:\n${problems.join("\n")}`);
  }
  return readFileSync(written, "utf8").replace(/^(\s*\/\/ )\S+\.d\.c?ts:\d+:\d+ - /gm, "$1");
}

function reportFileOf(item) {
  return join(item.packageDir, "api", `${item.reportName}.api.md`);
}

/** Report files in a package's `api/` folder that no `exports` entry produces any more. */
function staleReports(entries) {
  const expected = new Set(entries.map((item) => join(item.packageDir, "api", `${item.reportName}.api.md`)));
  const stale = [];
  for (const packageDir of new Set(entries.map((item) => item.packageDir))) {
    const apiDir = join(packageDir, "api");
    if (!existsSync(apiDir)) continue;
    for (const file of readdirSync(apiDir).sort()) {
      if (file.endsWith(".api.md") && !expected.has(join(apiDir, file))) stale.push(join(apiDir, file));
    }
  }
  return stale;
}

/** The lines only one side has (`- ` in the checked-in report, `+ ` in the build's), enough to see what changed. */
function changedLines(current, built) {
  const before = new Set(current.split("\n"));
  const after = new Set(built.split("\n"));
  const meaningful = (line) => line.trim() !== "" && !line.trim().startsWith("// (undocumented)");
  return [
    ...[...before].filter((line) => !after.has(line) && meaningful(line)).map((line) => `- ${line.trim()}`),
    ...[...after].filter((line) => !before.has(line) && meaningful(line)).map((line) => `+ ${line.trim()}`),
  ];
}

function withTempDir(work) {
  const tempDir = join(ROOT, ".tmp", `api-report-${process.pid}`);
  mkdirSync(tempDir, { recursive: true });
  try {
    return work(tempDir);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Rewrites every report from the built packages and deletes stale ones; returns the files it changed (relative to the root). */
export function updateReports() {
  const entries = reportEntries();
  return withTempDir((tempDir) => {
    const changed = [];
    for (const item of entries) {
      const built = extract(item, tempDir);
      const reportFile = reportFileOf(item);
      if (existsSync(reportFile) && readFileSync(reportFile, "utf8") === built) continue;
      mkdirSync(join(item.packageDir, "api"), { recursive: true });
      writeFileSync(reportFile, built);
      changed.push(relative(ROOT, reportFile));
    }
    for (const file of staleReports(entries)) {
      rmSync(file);
      changed.push(relative(ROOT, file));
    }
    return changed;
  });
}

/**
 * Compares every report with the built packages, writing nothing. Returns the differences, each as
 * `{ file, reason, expected, lines }` (`expected` is the report the build gives, or `null` for a stale
 * file; `lines` the lines that differ).
 */
export function checkReports() {
  const entries = reportEntries();
  return withTempDir((tempDir) => {
    const differences = [];
    for (const item of entries) {
      const built = extract(item, tempDir);
      const reportFile = reportFileOf(item);
      const current = existsSync(reportFile) ? readFileSync(reportFile, "utf8") : null;
      if (current === built) continue;
      differences.push({
        file: relative(ROOT, reportFile),
        reason: current === null ? "missing" : "differs",
        expected: built,
        lines: current === null ? [] : changedLines(current, built),
      });
    }
    for (const file of staleReports(entries)) differences.push({ file: relative(ROOT, file), reason: "stale", expected: null, lines: [] });
    return differences;
  });
}
