import { describe, expect, it } from "vitest";
import { parseProcStatCpuSeconds, processCpuSeconds } from "../src/process-cpu.js";

describe("process CPU time", () => {
  it("reads utime + stime, even when the command name holds spaces and parentheses", () => {
    const stat = "4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 30 0 0 20 0 11 0 100 0 0";
    expect(parseProcStatCpuSeconds(stat)).toBeCloseTo(2.8);
  });

  it("agrees with Node's own count for a process that burns CPU", () => {
    const before = processCpuSeconds(process.pid);
    expect(before).not.toBeNull();
    // Burn 200 ms of CPU as Node counts it (user + system, µs), however busy the machine is.
    const start = process.cpuUsage();
    let used = 0;
    while (used < 200_000) {
      const usage = process.cpuUsage(start);
      used = usage.user + usage.system;
    }
    const delta = (processCpuSeconds(process.pid) as number) - (before as number);
    // /proc counts in 10 ms ticks; other threads (GC, vitest) may add a little.
    expect(delta).toBeGreaterThanOrEqual(0.18);
    expect(delta).toBeLessThan(1);
  });

  it("is null for a process that does not exist", () => {
    expect(processCpuSeconds(2 ** 22 + 7)).toBeNull();
  });
});
