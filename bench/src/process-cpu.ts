/**
 * CPU time a process has used (user + system, all threads), from `/proc/<pid>/stat`. Throughput on
 * a shared machine moves with everything else running on it; the server's CPU time per request
 * moves much less, so it is recorded beside req/s as a second, steadier measure of the overhead.
 * Linux only: elsewhere the sampler returns `null` and the CPU figures are left out.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of `/proc` times (`getconf CLK_TCK`; 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100;

/** Seconds of CPU used by `pid` so far, or `null` when it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  return parseProcStatCpuSeconds(stat);
}

/** utime + stime from a `/proc/<pid>/stat` line (fields 14 and 15; the name in field 2 may hold spaces). */
export function parseProcStatCpuSeconds(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name: field 3 (state) is fields[0], so utime (14) is fields[11] and stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / TICKS_PER_SECOND;
}
