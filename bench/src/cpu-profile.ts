/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): where the sampled time went, by
 * function (self and inclusive) and by package, so a profile can be read in a report.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** Share of all sampled time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of time not idle (the server was working). */
  busyShare: number;
  selfByFunction: ProfileEntry[];
  inclusiveByFunction: ProfileEntry[];
  selfByPackage: ProfileEntry[];
}

const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** `express-session`, `@tessera/core`, `node:internal`, ... from a frame's URL. */
export function packageOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return "node (built-in)";
  const modules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1] as string;
  const workspace = /\/packages\/([^/]+)\//.exec(url);
  if (workspace) return `@tessera/${workspace[1]}`;
  if (url.includes("/bench/")) return "bench app";
  return url;
}

function frameName(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const file = frame.url.split("/").pop() ?? "";
  return `${frame.functionName || "(anonymous)"} ${packageOf(frame)}:${file}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, count: number): ProfileEntry[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => ({ name, share: total > 0 ? time / total : 0 }));
}

export function summarizeProfile(profile: CpuProfile, count = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    const node = byId.get(id);
    if (!node) return;
    total += delta;
    if (node.callFrame.functionName === "(idle)") idle += delta;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + delta);
    const pkg = packageOf(node.callFrame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + delta);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (!frame || frame.functionName === "(root)") continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
    }
  });
  return {
    totalMs: total / 1000,
    busyShare: total > 0 ? 1 - idle / total : 0,
    selfByFunction: top(self, total, count),
    inclusiveByFunction: top(inclusive, total, count),
    selfByPackage: top(packages, total, count),
  };
}

export function renderProfileSummary(title: string, summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const section = (heading: string, entries: ProfileEntry[]) => [heading, ...entries.map((e) => `  ${pct(e.share)}  ${e.name}`)].join("\n");
  return [
    `${title}: ${summary.totalMs.toFixed(0)} ms sampled, ${(summary.busyShare * 100).toFixed(1)}% busy`,
    section("self time by package:", summary.selfByPackage),
    section("self time by function:", summary.selfByFunction),
    section("inclusive time by function:", summary.inclusiveByFunction),
  ].join("\n\n");
}
