/**
 * wrk (Debian's `wrk` package) as the load generator: a separate C process per slice, one thread.
 * Preferred when installed: on a 2-core machine it leaves more CPU to the server under test than a
 * Node load generator, and it reports latency percentiles in microseconds.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import type { LoadGenerator, SliceOptions, SliceResult } from "./load-generator.js";

const run = promisify(execFile);

/** The wrk binary's version, or `null` when wrk is not on PATH. */
export function wrkVersion(binary = "wrk"): string | null {
  const probe = spawnSync(binary, ["-v"], { encoding: "utf8" });
  if (probe.error) return null;
  const match = /wrk\s+(\S+)/.exec(`${probe.stdout}${probe.stderr}`);
  return match?.[1] ?? "unknown";
}

const UNIT_TO_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Parses a wrk duration such as `512.00us`, `1.02ms` or `1.50s` into milliseconds. */
export function parseWrkDuration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: cannot parse the duration "${text}"`);
  return Number(match[1]) * (UNIT_TO_MS[match[2] as string] as number);
}

/** Parses the text wrk prints with `--latency`. */
export function parseWrkOutput(output: string): SliceResult {
  const percentile = (p: string): number => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(output);
    if (!match) throw new Error(`wrk: no ${p}% latency line in its output:\n${output}`);
    return parseWrkDuration(match[1] as string);
  };
  const requests = /^\s*(\d+) requests in/m.exec(output);
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  if (!requests || !rate) throw new Error(`wrk: unexpected output:\n${output}`);
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests: Number(requests[1]),
    reqPerSec: Number(rate[1]),
    p50Ms: percentile("50"),
    p99Ms: percentile("99"),
    errorResponses: errors ? Number(errors[1]) : 0,
    socketErrors,
  };
}

export function wrkGenerator(version: string, binary = "wrk"): LoadGenerator {
  return {
    name: "wrk",
    version,
    async run(options: SliceOptions): Promise<SliceResult> {
      const args = ["-t1", `-c${options.connections}`, `-d${options.durationSeconds}s`, "--latency"];
      for (const [name, value] of Object.entries(options.headers)) args.push("-H", `${name}: ${value}`);
      args.push(options.url);
      const { stdout } = await run(binary, args, { timeout: (options.durationSeconds + 30) * 1000 });
      return parseWrkOutput(stdout);
    },
  };
}
