/** Types of `api-report.mjs` (plain JavaScript, so that `pnpm api:update` runs on plain Node). */

/** One report: an `exports` entry of a published package. */
export interface ReportEntry {
  packageName: string;
  packageDir: string;
  /** The `exports` key, e.g. `"."` or `"./internal"`. */
  entry: string;
  /** The report's file name without `.api.md`: `index` for `"."`, else the subpath. */
  reportName: string;
  typesFile: string;
}

/** A report that does not match the build. */
export interface ReportDifference {
  /** The report file, relative to the monorepo root. */
  file: string;
  reason: "differs" | "missing" | "stale";
  /** The report the build gives (`null` for a stale file). */
  expected: string | null;
  /** The lines only one side has: `- ` from the checked-in report, `+ ` from the build's. */
  lines: string[];
}

export const ROOT: string;
export const UPDATE_HINT: string;
export function reportEntries(): ReportEntry[];
export function updateReports(): string[];
export function checkReports(): ReportDifference[];
