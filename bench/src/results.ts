/** The shapes written to `results.json` (one object per case and scenario, plus the other runs). */
import type { Framework, Library, StoreKind } from "./cases.js";
import type { CoreMicroResult } from "./core-micro.js";
import type { MemoryCapacityResult } from "./memory-capacity.js";
import type { StatementCensus } from "./postgres-stats.js";
import type { RoundTripCensus } from "./redis-stats.js";
import type { Scenario } from "./scenarios.js";

export interface RedisFigures {
  /** Calls per request by command, from `INFO commandstats` over the measured slices (script-internal calls included). */
  commandsPerRequest: Record<string, number>;
  /** Client round trips per request, from a MONITOR census of sequential requests before measuring. */
  roundTrips: RoundTripCensus;
}

export interface CaseResult {
  caseId: string;
  framework: Framework;
  library: Library;
  store: StoreKind;
  label: string;
  scenario: Scenario;
  ok: boolean;
  error?: string;
  /** What the verification checked before measuring. */
  checks: string[];
  reqPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The paired bare server's median req/s over the same rounds (the bare rows: their own). */
  bareReqPerSec: number | null;
  /** The paired bare server's median p50/p99 over the same rounds. */
  bareP50Ms: number | null;
  bareP99Ms: number | null;
  /** Median over rounds of (case req/s ÷ bare req/s in the same round). */
  ratioToBare: number | null;
  ratioToBareMin: number | null;
  ratioToBareMax: number | null;
  /** Tessera cases: ratioToBare ÷ the competitor's ratioToBare, against the least favourable competitor. */
  ratioToCompetitor: number | null;
  competitor: string | null;
  /** Tessera cases: the same ratio against every competitor of the framework. */
  ratiosToCompetitors: Record<string, number>;
  /** Tessera cases: competitor CPU per request ÷ Tessera CPU per request, against every competitor. */
  cpuRatiosToCompetitors: Record<string, number>;
  /** Server CPU (user + system) µs per request over the measured slices, and the paired bare server's. */
  cpuMicrosPerRequest: number | null;
  bareCpuMicrosPerRequest: number | null;
  /** bare CPU per request ÷ case CPU per request: the overhead in CPU, steadier than req/s on a busy machine. */
  cpuRatioToBare: number | null;
  rounds: number;
  measuredRequests: number;
  redis?: RedisFigures;
  postgres?: PostgresFigures;
}

export interface PostgresFigures {
  /** SQL statements per request from a pg_stat_statements census of sequential requests before measuring. */
  census: StatementCensus;
  /** SQL statements per request over the measured slices. */
  underLoad: StatementCensus;
}

export interface TouchThrottleResult {
  caseId: string;
  ok: boolean;
  error?: string;
  touchAfterSeconds: number;
  seconds: number;
  requests: number;
  /** Store writes (scripts that wrote) during the run, from `INFO commandstats`. */
  writes: number;
  /** Connections sending requests concurrently: each may touch once when a touch falls due. */
  connections: number;
}

/** A child-process run: its figures, or why it failed. */
export interface RunOutcome<T> {
  ok: boolean;
  error?: string;
  result?: T;
}

export interface BarResult {
  name: string;
  target: string;
  figure: string;
  met: boolean | null;
}

export interface BenchReport {
  generatedAt: string;
  quick: boolean;
  environment: {
    node: string;
    cpu: string;
    cores: number;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    loadGenerator: string;
    /** Free text given with `--note`, e.g. what else was running on the machine. */
    note?: string;
  };
  settings: { rounds: number; sliceSeconds: number; connections: number };
  cases: CaseResult[];
  touchThrottle: TouchThrottleResult[];
  coreMicro: RunOutcome<CoreMicroResult> | null;
  memoryCapacity: RunOutcome<MemoryCapacityResult> | null;
  bars: BarResult[];
}
