import { describe, expect, it } from "vitest";
import { type CpuProfile, packageOf, renderProfileSummary, summarizeProfile } from "../src/cpu-profile.js";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });

// root → handler (app) → load (core) → hmac (noble); plus idle. Sample times in µs.
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 5] },
    { id: 2, callFrame: frame("handler", "file:///work/main/bench/dist/server.js", 9), children: [3] },
    { id: 3, callFrame: frame("load", "file:///work/main/packages/core/dist/index.js", 99), children: [4] },
    { id: 4, callFrame: frame("hmac", "file:///work/main/node_modules/.pnpm/@noble+hashes@2.0.0/node_modules/@noble/hashes/hmac.js", 4) },
    { id: 5, callFrame: frame("(idle)") },
  ],
  samples: [4, 4, 3, 2, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000],
};

describe("cpu profile summary", () => {
  it("attributes self and inclusive time by function and self time by package", () => {
    const summary = summarizeProfile(PROFILE);
    expect(summary.totalMs).toBe(5);
    expect(summary.busyShare).toBeCloseTo(0.8);
    const share = (entries: { name: string; share: number }[], prefix: string) => entries.find((e) => e.name.startsWith(prefix))?.share;
    expect(share(summary.selfByFunction, "hmac")).toBeCloseTo(0.4);
    expect(share(summary.selfByFunction, "load")).toBeCloseTo(0.2);
    expect(share(summary.inclusiveByFunction, "handler")).toBeCloseTo(0.8);
    expect(share(summary.inclusiveByFunction, "load")).toBeCloseTo(0.6);
    expect(share(summary.selfByPackage, "@noble/hashes")).toBeCloseTo(0.4);
    expect(share(summary.selfByPackage, "@tessera/core")).toBeCloseTo(0.2);
    expect(renderProfileSummary("t", summary)).toContain("40.0%  @noble/hashes");
  });

  it("names packages from node_modules, the workspace and Node itself", () => {
    expect(packageOf(frame("f", "file:///x/node_modules/express-session/index.js"))).toBe("express-session");
    expect(packageOf(frame("f", "file:///x/node_modules/.pnpm/koa@3.0.0/node_modules/koa/lib/application.js"))).toBe("koa");
    expect(packageOf(frame("f", "file:///work/main/packages/adapter-koa/dist/index.js"))).toBe("@tessera/adapter-koa");
    expect(packageOf(frame("f", "node:internal/http"))).toBe("node (built-in)");
    expect(packageOf(frame("(garbage collector)"))).toBe("(garbage collector)");
  });
});
