/**
 * Profiles one case: starts its server with `node --cpu-prof`, verifies the scenario, loads it
 * for a while, stops it and prints where the server's time went.
 *
 * `pnpm --filter @tessera/bench profile <case id> <A|B|C|bare> [--seconds 10] [--connections 10] [--out dir] [--top 25]`
 * e.g. `pnpm --filter @tessera/bench profile express/tessera-memory A`
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startRedisServer } from "@tessera/test-redis";
import { caseById } from "./cases.js";
import { numberOption, stringOption } from "./cli-args.js";
import { type CpuProfile, renderProfileSummary, summarizeProfile } from "./cpu-profile.js";
import { selectLoadGenerator } from "./load/select.js";
import type { Scenario } from "./scenarios.js";
import { startServerProcess } from "./server-process.js";
import { verifyScenario } from "./verify.js";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [caseId, scenario] = args.filter((arg, i) => !arg.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (!caseId || !scenario) throw new Error("usage: profile <case id> <A|B|C|bare> [--seconds 10] [--out dir]");
  const spec = caseById(caseId);
  const seconds = Math.floor(numberOption(args, "seconds", 10));
  const connections = Math.floor(numberOption(args, "connections", 10));
  const count = Math.floor(numberOption(args, "top", 25));
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), stringOption(args, "out") ?? "profiles");
  const dir = join(out, `${caseId.replace("/", "_")}-${scenario}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const loader = selectLoadGenerator("auto");
  const redis = spec.redis ? await startRedisServer() : null;
  try {
    const server = await startServerProcess(
      { caseId, scenario: scenario as Scenario, ...(redis ? { redisUrl: redis.url } : {}) },
      { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] },
    );
    try {
      const verified = await verifyScenario(server.url, scenario as Scenario);
      const slice = await loader.run({ url: `${server.url}/`, headers: verified.headers, durationSeconds: seconds, connections });
      process.stdout.write(
        `${caseId} ${scenario}: ${Math.round(slice.reqPerSec)} req/s, p50 ${slice.p50Ms.toFixed(2)} ms, p99 ${slice.p99Ms.toFixed(2)} ms (${loader.name})\n`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await redis?.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  process.stdout.write(
    `${renderProfileSummary(`${caseId} ${scenario}`, summarizeProfile(profile, count))}\n\nprofile: ${join(dir, file)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
