/**
 * The checked-in API reports (`packages/<pkg>/api/<entry>.api.md`) must match what the built
 * packages export, so that a new, changed or removed export is a reviewed decision. Needs a build.
 */
import { describe, expect, it } from "vitest";
import { checkReports, reportEntries, UPDATE_HINT } from "../src/api-report.mjs";

describe("API reports", () => {
  it("cover every exports entry of every published package", () => {
    const entries = reportEntries().map((e) => `${e.packageName} ${e.entry} -> ${e.reportName}.api.md`);
    expect(entries).toContain("@tessera/core . -> index.api.md");
    expect(entries).toContain("@tessera/core ./internal -> internal.api.md");
    expect(entries.filter((e) => e.endsWith("-> index.api.md"))).toHaveLength(9);
  });

  it("match the built packages", () => {
    const differences = checkReports();
    const summary = differences.map((d) => [`${d.file} (${d.reason})`, ...d.lines.map((line) => `  ${line}`)].join("\n"));
    expect(summary, `API reports differ from the built packages; ${UPDATE_HINT}`).toEqual([]);
  });
});
