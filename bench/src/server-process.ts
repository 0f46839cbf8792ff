/** Starts and stops server processes (one per case and scenario) from the orchestrator. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ServerEnv } from "./apps/server-env.js";
import type { ReadyMessage } from "./server.js";

/** Resolved through the package root so it works from `dist/` and from the sources under vitest. */
const SERVER_ENTRY = fileURLToPath(new URL("../dist/server.js", import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** What the process wrote on stderr so far (for diagnostics). */
  stderr(): string;
  /** Ends the process (SIGTERM, then SIGKILL) and waits for its exit. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Working directory (where `--cpu-prof` writes without `--cpu-prof-dir`). */
  cwd?: string;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function startServerProcess(env: ServerEnv, options: StartServerOptions = {}): Promise<ServerProcess> {
  const child = fork(SERVER_ENTRY, [JSON.stringify(env)], {
    execArgv: [...(options.nodeArgs ?? [])],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: { ...process.env, NODE_ENV: "production" },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exitPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async (): Promise<void> => {
    if (exited(child)) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exitPromise;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${env.caseId} (${env.scenario}): server did not start within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${env.caseId} (${env.scenario}): server exited before it was ready (code ${code}, signal ${signal})\n${stderr}`));
    });
    child.on("message", (message: ReadyMessage) => {
      if (message?.type !== "ready") return;
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${message.port}`, pid: child.pid as number, stderr: () => stderr, stop });
    });
  });
}
