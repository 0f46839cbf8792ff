/**
 * Helpers for tests that run an app in child processes (several servers on one shared store, a
 * rolling deploy): start a script and wait until it prints `listening <port>`, stop it, and keep a
 * browser's session cookie across its responses. The processes run built packages, since plain
 * node cannot load TypeScript.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** One app process, listening on `port` of 127.0.0.1. */
export interface AppProcess {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
}

/** What to start: `node <script> ...args` with `env` added to this process's environment. */
export interface AppProcessSpec {
  /** Name in errors (and in the tests' replies). */
  readonly name: string;
  /** Absolute path of the script; it prints `listening <port>` once it serves. */
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Starts the process and resolves once it listens; rejects if it exits first. */
export function startAppProcess(spec: AppProcessSpec): Promise<AppProcess> {
  const child = spawn(process.execPath, [spec.script, ...spec.args], {
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening (\d+)/.exec(output);
      if (match) resolve({ name: spec.name, port: Number(match[1]), process: child });
    });
    child.once("exit", (code) => reject(new Error(`${spec.name} exited with code ${code} before listening`)));
  });
}

/** Stops the process (SIGTERM) and resolves once it has exited. */
export function stopAppProcess(app: AppProcess): Promise<void> {
  return new Promise((resolve) => {
    if (app.process.exitCode !== null || app.process.signalCode !== null) return resolve();
    app.process.once("exit", () => resolve());
    app.process.kill("SIGTERM");
  });
}

/** Throws unless every path (relative to `base`, a test's `import.meta.url`) exists: the processes need the build. */
export function assertBuilt(base: string, paths: readonly string[]): void {
  for (const path of paths) {
    if (!existsSync(fileURLToPath(new URL(path, base)))) throw new Error(`missing ${path}: run \`pnpm build\` first`);
  }
}

/** The cookie a browser sends after a response with `setCookieLines`: the last line wins, a clearing line empties it. */
export function cookieAfter(cookie: string, setCookieLines: readonly string[]): string {
  let next = cookie;
  for (const line of setCookieLines) {
    const pair = line.split(";")[0] ?? "";
    next = pair.endsWith("=") || /max-age=0/i.test(line) ? "" : pair;
  }
  return next;
}

/** What the test apps answer: which process served, and the session after the request. */
export interface AppReply {
  served: string;
  pid: number;
  isNew: boolean;
  data: Record<string, unknown>;
}

/** One browser talking to app processes: it keeps its session cookie (`cookie`, which a test may swap). */
export class AppBrowser {
  cookie = "";

  /** GETs `path` from `app`, expects 200 and returns the JSON reply. */
  async request(app: AppProcess, path: string): Promise<AppReply> {
    const response = await fetch(`http://127.0.0.1:${app.port}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
    this.cookie = cookieAfter(this.cookie, response.headers.getSetCookie());
    expect(response.status).toBe(200);
    return (await response.json()) as AppReply;
  }
}
