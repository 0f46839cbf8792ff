/**
 * A framework-free test runner for the portable suite. Vitest cannot run inside workerd, Deno or
 * Bun unchanged, so the suite registers its cases here and every runtime's entry point calls
 * {@link runSuites}. It runs cases one after another, catches every failure (a thrown error or a
 * rejected promise), reports each case as it finishes, and returns the counts.
 */

/** One test case: a name and an async body that throws to fail. */
export interface TestCase {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/** A named list of cases (one per store, for the session suite). */
export interface TestSuite {
  readonly name: string;
  readonly cases: readonly TestCase[];
}

export type CaseStatus = "passed" | "failed";

/** The outcome of one case. */
export interface CaseResult {
  readonly suite: string;
  readonly name: string;
  readonly status: CaseStatus;
  readonly durationMs: number;
  /** The error message and the top of its stack, for a failed case. */
  readonly error?: string;
}

/** The outcome of a whole run, in the shape every runtime's entry point prints. */
export interface RunReport {
  readonly runtime: string;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly results: readonly CaseResult[];
}

/** The line prefix that marks the machine-readable report in a runtime's output. */
export const REPORT_MARKER = "@@tessera-runtime-report@@";

/** A builder for a suite: `test(name, fn)` registers a case. */
export function defineSuite(name: string, register: (test: (name: string, run: TestCase["run"]) => void) => void): TestSuite {
  const cases: TestCase[] = [];
  register((caseName, run) => {
    if (cases.some((c) => c.name === caseName)) throw new Error(`duplicate test name in suite ${name}: ${caseName}`);
    cases.push({ name: caseName, run });
  });
  return { name, cases };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const stack = (error.stack ?? "").split("\n").slice(1, 4).join("\n");
    return stack ? `${error.name}: ${error.message}\n${stack}` : `${error.name}: ${error.message}`;
  }
  return `thrown non-error: ${String(error)}`;
}

/**
 * Runs every case of every suite in order. `onResult` sees each result as it is known (the CLI
 * entry prints it; the worker entry collects it). Never throws: a failing case is a result.
 */
export async function runSuites(
  runtime: string,
  suites: readonly TestSuite[],
  onResult: (result: CaseResult) => void = () => {},
): Promise<RunReport> {
  const results: CaseResult[] = [];
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      const started = Date.now();
      let result: CaseResult;
      try {
        await testCase.run();
        result = { suite: suite.name, name: testCase.name, status: "passed", durationMs: Date.now() - started };
      } catch (error) {
        result = {
          suite: suite.name,
          name: testCase.name,
          status: "failed",
          durationMs: Date.now() - started,
          error: describeError(error),
        };
      }
      results.push(result);
      onResult(result);
    }
  }
  const passed = results.filter((r) => r.status === "passed").length;
  return { runtime, passed, failed: results.length - passed, pending: 0, results };
}

/** One human-readable line for a result. */
export function formatResult(result: CaseResult): string {
  const mark = result.status === "passed" ? "ok  " : "FAIL";
  const head = `  ${mark} ${result.suite} > ${result.name} (${result.durationMs} ms)`;
  return result.error ? `${head}\n${result.error.replace(/^/gm, "         ")}` : head;
}
