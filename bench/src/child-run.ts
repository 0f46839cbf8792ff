/** Runs one of the benchmark's own scripts in a fresh Node process and parses its JSON line. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { RunOutcome } from "./results.js";

const run = promisify(execFile);

export async function runChildJson<T>(script: string, nodeArgs: readonly string[], args: readonly string[]): Promise<RunOutcome<T>> {
  const path = fileURLToPath(new URL(`../dist/${script}`, import.meta.url));
  try {
    const { stdout } = await run(process.execPath, [...nodeArgs, path, ...args], { maxBuffer: 1024 * 1024, timeout: 15 * 60_000 });
    const last = stdout.trim().split("\n").pop() ?? "";
    return { ok: true, result: JSON.parse(last) as T };
  } catch (error) {
    const detail = error as { message?: string; stderr?: string };
    return { ok: false, error: `${detail.message ?? String(error)}${detail.stderr ? `\n${detail.stderr.slice(-2000)}` : ""}` };
  }
}
