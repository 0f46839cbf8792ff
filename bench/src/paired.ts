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
}

export interface PairedOptions {
  rounds: number;
  sliceSeconds: number;
  connections: number;
  /** One discarded slice on each side before the rounds (JIT warm-up). */
  warmup: boolean;
}

export interface PairedResult {
  caseSlices: SliceResult[];
  bareSlices: SliceResult[];
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
  const slice = (t: LoadTarget) =>
    loader.run({ url: t.url, headers: t.headers, durationSeconds: options.sliceSeconds, connections: options.connections });
  if (options.warmup) {
    await slice(target);
    await slice(bare);
  }
  await beforeRounds?.();
  const result: PairedResult = { caseSlices: [], bareSlices: [], ratios: [] };
  for (let round = 0; round < options.rounds; round++) {
    let caseSlice: SliceResult;
    let bareSlice: SliceResult;
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

export function summarizePaired(result: PairedResult): PairedSummary {
  const pick = (slices: SliceResult[], key: keyof SliceResult) => median(slices.map((s) => s[key]));
  const sum = (slices: SliceResult[], key: keyof SliceResult) => slices.reduce((total, s) => total + s[key], 0);
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
    errorResponses: sum(result.caseSlices, "errorResponses") + sum(result.bareSlices, "errorResponses"),
    socketErrors: sum(result.caseSlices, "socketErrors") + sum(result.bareSlices, "socketErrors"),
  };
}
