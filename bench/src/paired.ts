/**
 * Paired measurement: a case and its framework's bare server, loaded in alternating slices of
 * about a second (case first in even rounds, bare first in odd ones), so that both see the same
 * machine noise. A ratio is taken per round, and the medians are reported.
 */
import type { LoadGenerator, SliceResult } from "./load/load-generator.js";
import { median } from "./stats.js";

export interface LoadTarget {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Reads the server's CPU seconds so far (see `process-cpu.ts`); `null` when unknown. */
  cpuSeconds?: () => number | null;
}

/** One slice and the server CPU it cost (`null` when unknown). */
export interface MeasuredSlice extends SliceResult {
  cpuSeconds: number | null;
}

export interface PairedOptions {
  rounds: number;
  sliceSeconds: number;
  connections: number;
  /** One discarded slice on each side before the rounds (JIT warm-up). */
  warmup: boolean;
}

export interface PairedResult {
  caseSlices: MeasuredSlice[];
  bareSlices: MeasuredSlice[];
  /** Case req/s ÷ bare req/s, one per round. */
  ratios: number[];
}

export interface PairedSummary {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  bareReqPerSec: number;
  bareP50Ms: number;
  bareP99Ms: number;
  ratioToBare: number;
  ratioMin: number;
  ratioMax: number;
  /** Responses counted by the load generator in the case's measured slices. */
  caseRequests: number;
  /** Server CPU µs per request over all measured slices (user + system), or `null` when unknown. */
  cpuMicrosPerRequest: number | null;
  bareCpuMicrosPerRequest: number | null;
  /** bare CPU per request ÷ case CPU per request: the overhead measured in CPU instead of throughput. */
  cpuRatioToBare: number | null;
  errorResponses: number;
  socketErrors: number;
}

export async function measurePaired(
  loader: LoadGenerator,
  target: LoadTarget,
  bare: LoadTarget,
  options: PairedOptions,
  /** Called right before the first measured slice (after warm-up), e.g. to snapshot Redis stats. */
  beforeRounds?: () => Promise<void>,
): Promise<PairedResult> {
  const slice = async (t: LoadTarget): Promise<MeasuredSlice> => {
    const cpuBefore = t.cpuSeconds?.() ?? null;
    const result = await loader.run({
      url: t.url,
      headers: t.headers,
      durationSeconds: options.sliceSeconds,
      connections: options.connections,
    });
    const cpuAfter = t.cpuSeconds?.() ?? null;
    return { ...result, cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
  };
  if (options.warmup) {
    await slice(target);
    await slice(bare);
  }
  await beforeRounds?.();
  const result: PairedResult = { caseSlices: [], bareSlices: [], ratios: [] };
  for (let round = 0; round < options.rounds; round++) {
    let caseSlice: MeasuredSlice;
    let bareSlice: MeasuredSlice;
    if (round % 2 === 0) {
      caseSlice = await slice(target);
      bareSlice = await slice(bare);
    } else {
      bareSlice = await slice(bare);
      caseSlice = await slice(target);
    }
    result.caseSlices.push(caseSlice);
    result.bareSlices.push(bareSlice);
    result.ratios.push(caseSlice.reqPerSec / bareSlice.reqPerSec);
  }
  return result;
}

/** Σ CPU ÷ Σ requests over the slices, in µs; `null` when any slice's CPU is unknown. */
function cpuMicrosPerRequest(slices: readonly MeasuredSlice[]): number | null {
  let cpu = 0;
  let requests = 0;
  for (const slice of slices) {
    if (slice.cpuSeconds === null) return null;
    cpu += slice.cpuSeconds;
    requests += slice.requests;
  }
  return requests > 0 && slices.length > 0 ? (cpu * 1e6) / requests : null;
}

export function summarizePaired(result: PairedResult): PairedSummary {
  const pick = (slices: SliceResult[], key: keyof SliceResult) => median(slices.map((s) => s[key]));
  const sum = (slices: SliceResult[], key: keyof SliceResult) => slices.reduce((total, s) => total + s[key], 0);
  const caseCpu = cpuMicrosPerRequest(result.caseSlices);
  const bareCpu = cpuMicrosPerRequest(result.bareSlices);
  return {
    reqPerSec: pick(result.caseSlices, "reqPerSec"),
    p50Ms: pick(result.caseSlices, "p50Ms"),
    p99Ms: pick(result.caseSlices, "p99Ms"),
    bareReqPerSec: pick(result.bareSlices, "reqPerSec"),
    bareP50Ms: pick(result.bareSlices, "p50Ms"),
    bareP99Ms: pick(result.bareSlices, "p99Ms"),
    ratioToBare: median(result.ratios),
    ratioMin: Math.min(...result.ratios),
    ratioMax: Math.max(...result.ratios),
    caseRequests: sum(result.caseSlices, "requests"),
    cpuMicrosPerRequest: caseCpu,
    bareCpuMicrosPerRequest: bareCpu,
    cpuRatioToBare: caseCpu && bareCpu ? bareCpu / caseCpu : null,
    errorResponses: sum(result.caseSlices, "errorResponses") + sum(result.bareSlices, "errorResponses"),
    socketErrors: sum(result.caseSlices, "socketErrors") + sum(result.bareSlices, "socketErrors"),
  };
}
