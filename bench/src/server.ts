/**
 * A server process: one case on one scenario. Started by the orchestrator with `fork`, it listens
 * on a random loopback port and reports `{ type: "ready", port }` over IPC. It exits when told
 * (SIGTERM/SIGINT) or when the orchestrator goes away, with a normal exit so `--cpu-prof` writes
 * its profile.
 */
import type { Server } from "node:http";
import type { ServerEnv } from "./apps/server-env.js";
import { type CaseSpec, caseById } from "./cases.js";

export interface ReadyMessage {
  type: "ready";
  port: number;
}

/** Imports only the framework in use, so a server starts quickly. */
async function start(spec: CaseSpec, env: ServerEnv): Promise<Server> {
  switch (spec.framework) {
    case "express":
      return (await import("./apps/express-app.js")).startExpress(spec, env);
    case "koa":
      return (await import("./apps/koa-app.js")).startKoa(spec, env);
    case "hono":
      return (await import("./apps/hono-app.js")).startHono(spec, env);
  }
}

async function main(): Promise<void> {
  const env = JSON.parse(process.argv[2] ?? "{}") as ServerEnv;
  const server = await start(caseById(env.caseId), env);
  const exit = () => process.exit(0);
  process.on("SIGTERM", exit);
  process.on("SIGINT", exit);
  process.on("disconnect", exit);
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("server has no TCP address");
    const ready: ReadyMessage = { type: "ready", port: address.port };
    process.send?.(ready);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench server] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
