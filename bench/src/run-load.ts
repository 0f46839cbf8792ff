/**
 * The load benchmark: for each framework, its bare server runs for the whole framework; each
 * session case runs each scenario on its own server process, is verified, (Redis cases) censused,
 * then measured in pairs with the bare server.
 */
import type { PostgresServer } from "@tessera/test-postgres";
import type { RedisServer } from "@tessera/test-redis";
import type { CaseSpec, Framework } from "./cases.js";
import { bareCaseOf, CASES } from "./cases.js";
import type { LoadGenerator } from "./load/load-generator.js";
import { measurePaired, type PairedOptions, summarizePaired } from "./paired.js";
import { readStatementStats, resetStatementStats, statementsPerRequest } from "./postgres-stats.js";
import { processCpuSeconds } from "./process-cpu.js";
import {
  type CommandKindResolver,
  classifyRoundTrips,
  commandKindResolver,
  commandsPerRequest,
  parseCommandStats,
  type RoundTripCensus,
  startMonitor,
  summarizeRoundTrips,
} from "./redis-stats.js";
import type { CaseResult, RedisFigures, TouchThrottleResult } from "./results.js";
import { type Scenario, SESSION_SCENARIOS, type SessionScenario } from "./scenarios.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { median } from "./stats.js";
import { type VerifiedScenario, verifyScenario } from "./verify.js";

export interface LoadRunOptions extends PairedOptions {
  loader: LoadGenerator;
  /** Only cases whose `id:scenario` contains one of these (all when empty). */
  filters: readonly string[];
  redis: RedisServer | null;
  /** The PostgreSQL server of the PostgreSQL cases, with pg_stat_statements preloaded. */
  postgres: PostgresServer | null;
  /** Sequential requests in each Redis census (and PostgreSQL statement census). */
  censusRequests: number;
  /** Length of each touch-throttle run (0 skips it). */
  touchRunSeconds: number;
  log: (line: string) => void;
}

export interface LoadRunOutput {
  cases: CaseResult[];
  touchThrottle: TouchThrottleResult[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function selected(options: LoadRunOptions, spec: CaseSpec, scenario: Scenario): boolean {
  if (options.filters.length === 0) return true;
  const key = `${spec.id}:${scenario}`;
  return options.filters.some((filter) => key.includes(filter));
}

function emptyResult(spec: CaseSpec, scenario: Scenario, rounds: number): CaseResult {
  return {
    caseId: spec.id,
    framework: spec.framework,
    library: spec.library,
    store: spec.store,
    label: spec.label,
    scenario,
    ok: false,
    checks: [],
    reqPerSec: null,
    p50Ms: null,
    p99Ms: null,
    bareReqPerSec: null,
    bareP50Ms: null,
    bareP99Ms: null,
    ratioToBare: null,
    ratioToBareMin: null,
    ratioToBareMax: null,
    ratioToCompetitor: null,
    competitor: null,
    ratiosToCompetitors: {},
    cpuRatiosToCompetitors: {},
    cpuMicrosPerRequest: null,
    bareCpuMicrosPerRequest: null,
    cpuRatioToBare: null,
    rounds,
    measuredRequests: 0,
  };
}

async function census(
  redis: RedisServer,
  kinds: CommandKindResolver,
  url: string,
  headers: Record<string, string>,
  requests: number,
): Promise<RoundTripCensus> {
  const monitor = await startMonitor(redis.port);
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`census request ${i + 1}: status ${response.status}`);
  }
  const commands = await monitor.stop();
  const kindOf = await kinds(new Set(commands.map((c) => c.name)));
  return summarizeRoundTrips(classifyRoundTrips(commands, kindOf), requests);
}

/** SQL statements per request over `requests` sequential requests. */
async function sqlCensus(postgres: PostgresServer, url: string, headers: Record<string, string>, requests: number) {
  await resetStatementStats(postgres);
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`census request ${i + 1}: status ${response.status}`);
  }
  return statementsPerRequest(await readStatementStats(postgres), requests);
}

async function commandStats(redis: RedisServer): Promise<Map<string, number>> {
  return parseCommandStats(String(await redis.command("INFO", "commandstats")));
}

async function runCase(
  options: LoadRunOptions,
  spec: CaseSpec,
  scenario: SessionScenario,
  bare: ServerProcess,
  kinds: CommandKindResolver | null,
): Promise<CaseResult> {
  const result = emptyResult(spec, scenario, options.rounds);
  const redis = spec.redis ? options.redis : null;
  if (spec.redis && redis === null) {
    result.error = "no Redis server (redis-server not on PATH?)";
    return result;
  }
  const postgres = spec.postgres ? options.postgres : null;
  if (spec.postgres && postgres === null) {
    result.error = "no PostgreSQL server (not installed?)";
    return result;
  }
  let server: ServerProcess | null = null;
  try {
    if (redis) await redis.command("FLUSHALL");
    // Each library creates its table again on its first request.
    if (postgres) await postgres.psql("DROP TABLE IF EXISTS tessera_sessions, session");
    server = await startServerProcess({
      caseId: spec.id,
      scenario,
      ...(redis ? { redisUrl: redis.url } : {}),
      ...(postgres ? { postgresUrl: postgres.url } : {}),
    });
    const verified: VerifiedScenario = await verifyScenario(server.url, scenario);
    result.checks = verified.checks;
    let roundTrips: RoundTripCensus | undefined;
    if (redis && kinds) roundTrips = await census(redis, kinds, `${server.url}/`, verified.headers, options.censusRequests);
    let statementCensus: ReturnType<typeof statementsPerRequest> | undefined;
    if (postgres) statementCensus = await sqlCensus(postgres, `${server.url}/`, verified.headers, options.censusRequests);

    let before = new Map<string, number>();
    const pid = server.pid;
    const paired = await measurePaired(
      options.loader,
      { url: `${server.url}/`, headers: verified.headers, cpuSeconds: () => processCpuSeconds(pid) },
      { url: `${bare.url}/`, headers: {}, cpuSeconds: () => processCpuSeconds(bare.pid) },
      options,
      async () => {
        if (redis) before = await commandStats(redis);
        if (postgres) await resetStatementStats(postgres);
      },
    );
    const summary = summarizePaired(paired);
    Object.assign(result, {
      reqPerSec: summary.reqPerSec,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
      bareReqPerSec: summary.bareReqPerSec,
      bareP50Ms: summary.bareP50Ms,
      bareP99Ms: summary.bareP99Ms,
      ratioToBare: summary.ratioToBare,
      ratioToBareMin: summary.ratioMin,
      ratioToBareMax: summary.ratioMax,
      measuredRequests: summary.caseRequests,
      cpuMicrosPerRequest: summary.cpuMicrosPerRequest,
      bareCpuMicrosPerRequest: summary.bareCpuMicrosPerRequest,
      cpuRatioToBare: summary.cpuRatioToBare,
    });
    if (redis && roundTrips) {
      const figures: RedisFigures = {
        commandsPerRequest: commandsPerRequest(before, await commandStats(redis), summary.caseRequests),
        roundTrips,
      };
      result.redis = figures;
    }
    if (postgres && statementCensus) {
      result.postgres = {
        census: statementCensus,
        underLoad: statementsPerRequest(await readStatementStats(postgres), summary.caseRequests),
      };
    }
    if (summary.errorResponses > 0 || summary.socketErrors > 0) {
      throw new Error(`${summary.errorResponses} error responses and ${summary.socketErrors} socket errors under load`);
    }
    if (summary.caseRequests === 0) throw new Error("no request completed under load");
    result.ok = true;
  } catch (error) {
    result.ok = false;
    result.error = message(error);
    const stderr = server?.stderr().trim();
    if (stderr) result.error += `\nserver stderr: ${stderr.slice(-2000)}`;
  } finally {
    await server?.stop();
  }
  return result;
}

/** Tessera + Redis on scenario A with a short `touchAfterSeconds`: how many store writes per window. */
async function runTouchThrottle(options: LoadRunOptions, spec: CaseSpec): Promise<TouchThrottleResult> {
  const touchAfterSeconds = 1;
  const result: TouchThrottleResult = {
    caseId: spec.id,
    ok: false,
    touchAfterSeconds,
    seconds: options.touchRunSeconds,
    requests: 0,
    writes: 0,
    connections: options.connections,
  };
  const redis = options.redis;
  if (!redis) return { ...result, error: "no Redis server" };
  let server: ServerProcess | null = null;
  try {
    await redis.command("FLUSHALL");
    server = await startServerProcess({ caseId: spec.id, scenario: "A", redisUrl: redis.url, touchAfterSeconds });
    const verified = await verifyScenario(server.url, "A");
    const before = await commandStats(redis);
    const slice = await options.loader.run({
      url: `${server.url}/`,
      headers: verified.headers,
      durationSeconds: options.touchRunSeconds,
      connections: options.connections,
    });
    const after = await commandStats(redis);
    const writes = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    result.requests = slice.requests;
    // Tessera's Redis store writes only through scripts; count the scripts run.
    result.writes = writes("evalsha") + writes("eval");
    if (slice.errorResponses > 0 || slice.socketErrors > 0) throw new Error(`${slice.errorResponses} error responses under load`);
    result.ok = true;
  } catch (error) {
    result.error = message(error);
  } finally {
    await server?.stop();
  }
  return result;
}

async function runFramework(options: LoadRunOptions, framework: Framework, output: LoadRunOutput): Promise<void> {
  const bareSpec = bareCaseOf(framework);
  const sessionRuns = CASES.filter((c) => c.framework === framework && c.library !== "bare").flatMap((spec) =>
    SESSION_SCENARIOS.filter((scenario) => selected(options, spec, scenario)).map((scenario) => ({ spec, scenario })),
  );
  if (sessionRuns.length === 0 && !selected(options, bareSpec, "bare")) return;

  const bareResult = emptyResult(bareSpec, "bare", options.rounds);
  output.cases.push(bareResult);
  let bare: ServerProcess;
  try {
    bare = await startServerProcess({ caseId: bareSpec.id, scenario: "bare" });
    bareResult.checks = (await verifyScenario(bare.url, "bare")).checks;
    bareResult.ok = true;
  } catch (error) {
    bareResult.error = message(error);
    for (const { spec, scenario } of sessionRuns)
      output.cases.push({ ...emptyResult(spec, scenario, options.rounds), error: "bare server failed" });
    return;
  }
  const redisServer = options.redis;
  const kinds = redisServer ? commandKindResolver((...args) => redisServer.command(...args)) : null;
  try {
    for (const { spec, scenario } of sessionRuns) {
      options.log(`  ${spec.id} ${scenario} ...`);
      const result = await runCase(options, spec, scenario, bare, kinds);
      output.cases.push(result);
      options.log(
        result.ok
          ? `  ${spec.id} ${scenario}: ${Math.round(result.reqPerSec ?? 0)} req/s, ratio to bare ${result.ratioToBare?.toFixed(2)}`
          : `  ${spec.id} ${scenario}: FAILED ${result.error}`,
      );
      if (result.postgres) {
        const { census: sql, underLoad } = result.postgres;
        options.log(
          `    SQL per request: ${sql.reads.toFixed(2)} reads + ${sql.writes.toFixed(2)} writes (census); ${JSON.stringify(underLoad.byStatement)} (under load)`,
        );
      }
    }
    if (options.touchRunSeconds > 0) {
      const tesseraRedis = CASES.find((c) => c.framework === framework && c.library === "tessera" && c.store === "redis");
      if (tesseraRedis && selected(options, tesseraRedis, "A")) {
        const touch = await runTouchThrottle(options, tesseraRedis);
        output.touchThrottle.push(touch);
        options.log(
          `  ${tesseraRedis.id} touch throttle: ${touch.ok ? `${touch.writes} writes in ${touch.seconds} s` : `FAILED ${touch.error}`}`,
        );
      }
    }
  } finally {
    await bare.stop();
  }
  // The bare row: the bare server's own figures over every slice it served as a partner.
  const partners = output.cases.filter((c) => c.framework === framework && c.library !== "bare" && c.bareReqPerSec !== null);
  const partnerMedian = (key: "bareReqPerSec" | "bareP50Ms" | "bareP99Ms") =>
    partners.length > 0 ? median(partners.map((c) => c[key] as number)) : null;
  bareResult.reqPerSec = partnerMedian("bareReqPerSec");
  bareResult.p50Ms = partnerMedian("bareP50Ms");
  bareResult.p99Ms = partnerMedian("bareP99Ms");
  bareResult.bareReqPerSec = bareResult.reqPerSec;
  bareResult.bareP50Ms = bareResult.p50Ms;
  const cpu = partners.filter((c) => c.bareCpuMicrosPerRequest !== null).map((c) => c.bareCpuMicrosPerRequest as number);
  bareResult.cpuMicrosPerRequest = cpu.length > 0 ? median(cpu) : null;
  bareResult.bareCpuMicrosPerRequest = bareResult.cpuMicrosPerRequest;
  bareResult.cpuRatioToBare = bareResult.cpuMicrosPerRequest === null ? null : 1;
  bareResult.bareP99Ms = bareResult.p99Ms;
  bareResult.ratioToBare = bareResult.reqPerSec === null ? null : 1;
}

export async function runLoad(options: LoadRunOptions, frameworks: readonly Framework[]): Promise<LoadRunOutput> {
  const output: LoadRunOutput = { cases: [], touchThrottle: [] };
  for (const framework of frameworks) {
    options.log(`${framework}:`);
    await runFramework(options, framework, output);
  }
  return output;
}
