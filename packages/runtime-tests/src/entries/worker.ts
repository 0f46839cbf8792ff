/**
 * Entry point for Cloudflare workerd: a Worker whose `fetch` runs every suite, logs one line per
 * case (miniflare forwards it to the host's output) and answers the report as JSON. The host
 * (scripts/workerd-host.mjs) prints the report.
 */
import { formatResult, runSuites } from "../runner.js";
import { runtimeName } from "../runtime-name.js";
import { allSuites } from "../session-suite.js";

// biome-ignore lint/suspicious/noConsole: printing the results is this entry point's job.
const print = (line: string) => console.log(line);

export default {
  async fetch(): Promise<Response> {
    const report = await runSuites(runtimeName(), allSuites(), (result) => print(formatResult(result)));
    return Response.json(report);
  },
};
