/**
 * `startRedisServer()`: a throwaway `redis-server` from PATH on a random loopback port, with
 * persistence off and its log in a temporary directory (never on the test's stdout).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "./free-port.js";
import { guardProcess, releaseProcess } from "./process-guard.js";
import { type RespValue, redisCommand } from "./resp.js";

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /**
   * Extra `redis-server` arguments, e.g. `["--enable-debug-command", "yes"]`. Appended after the
   * defaults (`--save "" --appendonly no`), so they can override them.
   */
  args?: readonly string[];
  /**
   * Also require `port + 10000` to be free (the Redis Cluster bus port). Set by
   * `startRedisCluster`. Default false.
   */
  needsBusPort?: boolean;
  /**
   * Listen on this port instead of a random free one, e.g. to restart a stopped server where its
   * clients expect it. No retry when it is taken. Default: a random free port.
   */
  port?: number;
  /** Gives up when the server does not answer `PING` within this many ms. Default 10000. */
  startTimeoutMs?: number;
  /** The server binary. Default `$REDIS_SERVER_BIN`, else `redis-server` from PATH. */
  redisServerPath?: string;
}

/** A running server. Stop it with `stop()` (idempotent); it is also killed if the test process dies. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The server's process ID. */
  readonly pid: number;
  /** The temporary directory holding the server's log (and `nodes.conf` on a cluster node). */
  readonly dir: string;
  /** Sends one command over a fresh connection (see `redisCommand`), e.g. `command("CONFIG", "RESETSTAT")`. */
  command(...args: Array<string | number>): Promise<RespValue>;
  /** The server's log so far, for diagnostics. */
  log(): Promise<string>;
  /** Whether the process is still running. */
  readonly running: boolean;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const PORT_ATTEMPTS = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function readLog(dir: string): Promise<string> {
  try {
    return await readFile(join(dir, "redis.log"), "utf8");
  } catch {
    return "";
  }
}

/** Stops `child`: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (exited(child)) return;
  // Keep this process alive until the server has really exited.
  child.ref();
  child.kill("SIGTERM");
  if (!(await waitForExit(child, graceMs))) {
    child.kill("SIGKILL");
    await waitForExit(child, 5_000);
  }
}

/**
 * Starts `redis-server` on a random free port of 127.0.0.1 and resolves once it answers `PING`.
 * Throws with the server's own log when it cannot start (after retrying a port another process
 * grabbed first), or when `redis-server` is not installed.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.redisServerPath ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), "tessera-redis-"));
  let lastError: Error | undefined;
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await findFreePort({ host: HOST, ...(options.needsBusPort ? { companionOffset: 10_000 } : {}) }));
    const args = [
      "--port",
      String(port),
      "--bind",
      HOST,
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--logfile",
      join(dir, "redis.log"),
      ...(options.args ?? []),
    ];
    // stdout stays closed (the log goes to a file); stderr is kept for errors printed before the
    // log file opens, such as a bad argument.
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    // A server left running must not keep this process alive: the exit guard stops it instead.
    child.unref();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    if (child.pid !== undefined) {
      const pid = child.pid;
      guardProcess(pid);
      child.once("exit", () => releaseProcess(pid));
    }
    const polling = { stopped: false };
    const outcome = await Promise.race([
      waitForPing(port, child, startTimeoutMs, polling).then((ready) => (ready ? "ready" : "failed")),
      spawnError.then((error) => error),
    ]);
    polling.stopped = true;
    if (outcome === "ready" && child.pid !== undefined) return handle(child, child.pid, port, dir);
    if (outcome instanceof Error) {
      await rm(dir, { recursive: true, force: true });
      const missing = (outcome as NodeJS.ErrnoException).code === "ENOENT";
      throw new Error(
        missing
          ? `[test-redis] "${binary}" was not found. Install Redis (apt-get install redis-server) or set REDIS_SERVER_BIN.`
          : `[test-redis] could not start "${binary}": ${outcome.message}`,
        { cause: outcome },
      );
    }
    const why = exited(child)
      ? `exited (code ${child.exitCode}, signal ${child.signalCode})`
      : `did not answer PING within ${startTimeoutMs} ms`;
    await terminate(child, 2_000);
    const log = `${stderr}${await readLog(dir)}`;
    lastError = new Error(`[test-redis] redis-server on port ${port} did not start: it ${why}. Output:\n${log}`);
    if (!/address already in use/i.test(log)) break;
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError ?? new Error("[test-redis] redis-server did not start");
}

/** Polls PING every 10 ms until PONG (true), the process exits, polling stops or the deadline passes (false). */
async function waitForPing(port: number, child: ChildProcess, timeoutMs: number, polling: { stopped: boolean }): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !polling.stopped) {
    if (exited(child)) return false;
    try {
      if ((await redisCommand(port, ["PING"], { host: HOST, timeoutMs: 1_000 })) === "PONG") return true;
    } catch {
      // Not listening yet (or still loading).
    }
    await sleep(10);
  }
  return false;
}

function handle(child: ChildProcess, pid: number, port: number, dir: string): RedisServer {
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://${HOST}:${port}`,
    host: HOST,
    port,
    pid,
    dir,
    command: (...args) => redisCommand(port, args, { host: HOST }),
    log: () => readLog(dir),
    get running() {
      return !exited(child);
    },
    stop() {
      stopping ??= (async () => {
        await terminate(child, 5_000);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
