import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Scenario } from "../src/scenarios.js";
import { type ServerProcess, startServerProcess } from "../src/server-process.js";
import { VerificationError, verifyScenario } from "../src/verify.js";

const servers: ServerProcess[] = [];
async function start(caseId: string, scenario: Scenario): Promise<ServerProcess> {
  const server = await startServerProcess({ caseId, scenario });
  servers.push(server);
  return server;
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL("../dist/server.js", import.meta.url)))) {
    throw new Error("bench/dist/server.js is missing: run `pnpm --filter @tessera/bench build` first");
  }
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe("scenario verification against real server processes", () => {
  it("accepts express-session's write scenario and returns its session cookie for the load", async () => {
    const server = await start("express/express-session-memory", "B");
    const verified = await verifyScenario(server.url, "B");
    expect(verified.headers.cookie).toMatch(/^connect\.sid=s%3A/);
    expect(verified.checks).toContain("GET / increments the counter (1, then 2)");
  });

  it("accepts koa-session's new-session scenario and sends no cookie under load", async () => {
    const server = await start("koa/koa-session-cookie", "C");
    expect((await verifyScenario(server.url, "C")).headers).toEqual({});
  });

  it("rejects a server whose / does not do the scenario", async () => {
    // The read server's `/` never creates a session, so C's check must fail.
    const server = await start("express/express-session-memory", "A");
    await expect(verifyScenario(server.url, "C")).rejects.toThrow(VerificationError);
    await expect(verifyScenario(server.url, "B")).rejects.toThrow(/B GET \/ \(1st\): expected 200 \{"counter":1\}/);
  });

  it("rejects a bare server asked for a session scenario", async () => {
    const server = await start("hono/bare", "bare");
    await expect(verifyScenario(server.url, "bare")).resolves.toEqual({ headers: {}, checks: ["GET / answers {ok:true}"] });
    await expect(verifyScenario(server.url, "A")).rejects.toThrow(/GET \/seed: expected 200/);
  });

  it("reports a server that cannot start, with its stderr", async () => {
    await expect(startServerProcess({ caseId: "express/tessera-redis", scenario: "A" })).rejects.toThrow(/needs a Redis URL/);
  });
});
