/**
 * `startPostgres()`: a throwaway PostgreSQL server. `initdb` into a temporary directory, then
 * `postgres` on a random loopback port with trust authentication, its socket and log in that
 * directory. The server can be halted and started again in place (same port, same data) to test
 * outages.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The free-port search and the crash guard are the ones test-redis uses for its servers.
import { findFreePort, guardProcess, releaseProcess } from "@tessera/test-redis";
import { findPostgresBinDir } from "./binaries.js";
import { handOver, type ServerAccount, serverAccount } from "./system-user.js";

/** A server setting passed as `-c name=value`; booleans become `on`/`off`. */
export type PostgresSetting = string | number | boolean;

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * A fixed port instead of a random free one (no retry when it is taken).
   * @default a random free port
   */
  port?: number;
  /**
   * Server settings, each passed as `-c name=value`, merged over the defaults. The defaults trade
   * durability for speed, as a throwaway server may: `{ fsync: false, synchronous_commit: false,
   * full_page_writes: false }`.
   * @default {}
   */
  settings?: Readonly<Record<string, PostgresSetting>>;
  /**
   * Gives up when the server is not ready within this many ms (initdb excluded).
   * @default 30000
   */
  startTimeoutMs?: number;
  /**
   * The directory holding `initdb`, `postgres` and `psql`.
   * @default `$POSTGRES_BIN_DIR`, else found on PATH, via `pg_config --bindir`, or in `/usr/lib/postgresql/<newest>/bin`
   */
  binDir?: string;
  /**
   * The system account the server runs as when this process is root (PostgreSQL refuses root).
   * @default "postgres"
   */
  systemUser?: string;
}

/** A PostgreSQL server. Stop it with `stop()` (idempotent); it is also killed if the test process dies. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (superuser `postgres`, trust authentication). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The temporary directory: the data directory (`data/`), the Unix socket and `postgres.log`. */
  readonly dir: string;
  /** The postmaster's process ID while running, else `undefined`. */
  readonly pid: number | undefined;
  /** Whether the server process is running. */
  readonly running: boolean;
  /**
   * Runs SQL through `psql` (unaligned, tuples only, stops at the first error) and resolves its
   * output, one line per row with columns separated by `|`. For admin work in tests.
   */
  psql(sql: string, options?: { database?: string }): Promise<string>;
  /** The server's log so far, for diagnostics. */
  log(): Promise<string>;
  /** Stops the server process (fast shutdown: open connections are cut) and keeps its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port with the same data. No-op when running. */
  start(): Promise<void>;
  /** `halt()` then `start()`. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. Idempotent; the server cannot be started again. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const SUPERUSER = "postgres";
const PORT_ATTEMPTS = 5;
const SHUTDOWN_GRACE_MS = 10_000;
const DEFAULT_SETTINGS: Readonly<Record<string, PostgresSetting>> = { fsync: false, synchronous_commit: false, full_page_writes: false };

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

/** Stops the postmaster: SIGINT (fast shutdown), then SIGKILL if it has not exited within `graceMs`. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (exited(child)) return;
  // Keep this process alive until the server has really exited.
  child.ref();
  child.kill("SIGINT");
  if (!(await waitForExit(child, graceMs))) {
    child.kill("SIGKILL");
    await waitForExit(child, 5_000);
  }
}

function run(file: string, args: string[], account: ServerAccount | undefined, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, encoding: "utf8", timeout: 60_000, ...account }, (error, stdout, stderr) => {
      if (error) reject(new Error(`[test-postgres] ${file} failed: ${error.message}\n${stdout}\n${stderr}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

function settingArgs(settings: Readonly<Record<string, PostgresSetting>>): string[] {
  return Object.entries(settings).flatMap(([name, value]) => [
    "-c",
    `${name}=${typeof value === "boolean" ? (value ? "on" : "off") : String(value)}`,
  ]);
}

/**
 * Resolves true once `postmaster.pid` names `pid` and says `ready` (what `pg_ctl -w` waits for),
 * false when the process exits or the deadline passes.
 */
async function waitUntilReady(child: ChildProcess, dataDir: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (exited(child)) return false;
    try {
      const lines = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n");
      if (Number(lines[0]) === child.pid && lines[7]?.trim() === "ready") return true;
    } catch {
      // Not written yet.
    }
    await sleep(20);
  }
  return false;
}

interface Launcher {
  binDir: string;
  account: ServerAccount | undefined;
  dir: string;
  dataDir: string;
  logPath: string;
  settings: Readonly<Record<string, PostgresSetting>>;
  startTimeoutMs: number;
}

async function readLog(logPath: string): Promise<string> {
  try {
    return await readFile(logPath, "utf8");
  } catch {
    return "";
  }
}

/** Starts the postmaster on `port`; resolves the running child or throws with the server's log. */
async function launch(launcher: Launcher, port: number): Promise<ChildProcess> {
  const logStart = (await readLog(launcher.logPath)).length;
  const logFd = openSync(launcher.logPath, "a");
  let child: ChildProcess;
  try {
    const args = [
      "-D",
      launcher.dataDir,
      "-p",
      String(port),
      "-k",
      launcher.dir,
      "-c",
      `listen_addresses=${HOST}`,
      ...settingArgs(launcher.settings),
    ];
    child = spawn(join(launcher.binDir, "postgres"), args, { cwd: launcher.dir, stdio: ["ignore", logFd, logFd], ...launcher.account });
  } finally {
    closeSync(logFd);
  }
  // A server left running must not keep this process alive: the exit guard stops it instead.
  child.unref();
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  if (child.pid !== undefined) {
    const pid = child.pid;
    guardProcess(pid);
    child.once("exit", () => releaseProcess(pid));
  }
  const outcome = await Promise.race([waitUntilReady(child, launcher.dataDir, Date.now() + launcher.startTimeoutMs), spawnError]);
  if (outcome === true) return child;
  if (outcome instanceof Error) throw new Error(`[test-postgres] could not start postgres: ${outcome.message}`, { cause: outcome });
  const why = exited(child)
    ? `exited (code ${child.exitCode}, signal ${child.signalCode})`
    : `was not ready within ${launcher.startTimeoutMs} ms`;
  await terminate(child, 2_000);
  const log = (await readLog(launcher.logPath)).slice(logStart);
  throw new PortError(`[test-postgres] postgres on port ${port} did not start: it ${why}. Log:\n${log}`, /already in use/i.test(log));
}

/** A start failure; `portTaken` when another process bound the port first (worth another port). */
class PortError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

/**
 * Runs `initdb` into a new temporary directory and starts `postgres` on a free port of 127.0.0.1
 * (about 1–3 s). Throws with the server's log when it cannot start, or with install instructions
 * when PostgreSQL is not installed.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = await findPostgresBinDir(options.binDir);
  const account = serverAccount(options.systemUser ?? "postgres");
  const dir = await mkdtemp(join(tmpdir(), "tessera-postgres-"));
  const launcher: Launcher = {
    binDir,
    account,
    dir,
    dataDir: join(dir, "data"),
    logPath: join(dir, "postgres.log"),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
  };
  try {
    await handOver(dir, account);
    // -N: a throwaway cluster needs no fsync of its initial files.
    await run(
      join(binDir, "initdb"),
      ["-D", launcher.dataDir, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "-N"],
      account,
      dir,
    );
    const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await findFreePort({ host: HOST }));
      try {
        return handle(launcher, await launch(launcher, port), port);
      } catch (error) {
        if (!(error instanceof PortError && error.portTaken && attempt < attempts)) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function handle(launcher: Launcher, firstChild: ChildProcess, port: number): PostgresServer {
  let child: ChildProcess | undefined = firstChild;
  let stopped: Promise<void> | undefined;
  // halt/start/stop run one after another, so a restart never races a stop.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };
  const halt = () =>
    serially(async () => {
      if (child !== undefined) await terminate(child, SHUTDOWN_GRACE_MS);
      child = undefined;
    });
  const start = () =>
    serially(async () => {
      if (stopped !== undefined) throw new Error("[test-postgres] this server was stopped and its directory removed; start a new one.");
      if (child === undefined || exited(child)) child = await launch(launcher, port);
    });
  return {
    url: `postgres://${SUPERUSER}@${HOST}:${port}/postgres`,
    host: HOST,
    port,
    dir: launcher.dir,
    get pid() {
      return child !== undefined && !exited(child) ? child.pid : undefined;
    },
    get running() {
      return child !== undefined && !exited(child);
    },
    psql: (sql, psqlOptions = {}) =>
      new Promise((resolve, reject) => {
        const args = ["-h", HOST, "-p", String(port), "-U", SUPERUSER, "-d", psqlOptions.database ?? "postgres"];
        execFile(
          join(launcher.binDir, "psql"),
          [...args, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
          { encoding: "utf8", timeout: 30_000 },
          (error, stdout, stderr) => {
            if (error) reject(new Error(`[test-postgres] psql failed: ${stderr.trim() || error.message}`, { cause: error }));
            else resolve(stdout.replace(/\n$/, ""));
          },
        );
      }),
    log: () => readLog(launcher.logPath),
    halt,
    start,
    restart: async () => {
      await halt();
      await start();
    },
    stop() {
      stopped ??= serially(async () => {
        if (child !== undefined) await terminate(child, SHUTDOWN_GRACE_MS);
        child = undefined;
        await rm(launcher.dir, { recursive: true, force: true });
      });
      return stopped;
    },
  };
}
