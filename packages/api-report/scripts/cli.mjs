#!/usr/bin/env node
/**
 * `pnpm api:update` runs `node packages/api-report/scripts/cli.mjs --update` (after a build): rewrites
 * every package's API report. Without `--update` it only checks, exiting 1 when a report differs.
 */
import { checkReports, UPDATE_HINT, updateReports } from "../src/api-report.mjs";

if (process.argv.includes("--update")) {
  const changed = updateReports();
  console.log(changed.length === 0 ? "API reports: unchanged." : `API reports updated:\n${changed.map((f) => `  ${f}`).join("\n")}`);
} else {
  const differences = checkReports();
  if (differences.length === 0) console.log("API reports: match the built packages.");
  else {
    console.error(
      `API reports differ from the built packages:\n${differences.map((d) => [`  ${d.file} (${d.reason})`, ...d.lines.map((line) => `    ${line}`)].join("\n")).join("\n")}\nTo accept: ${UPDATE_HINT}`,
    );
    process.exitCode = 1;
  }
}
