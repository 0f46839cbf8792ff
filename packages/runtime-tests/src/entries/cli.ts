/**
 * Entry point for runtimes that run a script (Node, Bun, Deno): runs every suite, prints one line
 * per case as it finishes, then the machine-readable report after {@link REPORT_MARKER}.
 */
import { formatResult, REPORT_MARKER, runSuites } from "../runner.js";
import { runtimeName } from "../runtime-name.js";
import { allSuites } from "../session-suite.js";

// biome-ignore lint/suspicious/noConsole: printing the results is this entry point's job.
const print = (line: string) => console.log(line);

const report = await runSuites(runtimeName(), allSuites(), (result) => print(formatResult(result)));
print(`${REPORT_MARKER}${JSON.stringify(report)}`);
