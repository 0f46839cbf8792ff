/** Facts about the machine recorded with every run. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";

export function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) return (match[1] as string).trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? "unknown";
}

export function coreCount(): number {
  return availableParallelism();
}

export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}
