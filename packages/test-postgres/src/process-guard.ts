/**
 * Makes sure no server started by this package outlives the process that started it, even when
 * that process crashes or is killed with SIGKILL before its teardown runs (the mechanism of
 * @tessera/test-redis, which does not export it).
 *
 * Two layers:
 * - an `exit` handler kills every tracked server synchronously (normal exit, `process.exit`,
 *   uncaught exceptions);
 * - a tiny detached watchdog process holds the read end of a pipe from this process. The kernel
 *   closes that pipe however this process dies, and the watchdog then SIGKILLs every PID still
 *   registered. PIDs are unregistered as soon as a server exits, so a reused PID is never hit.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** Runs in the watchdog: reads `+pid` / `-pid` lines; on end of input, kills what is left. */
const WATCHDOG_SOURCE = `
const pids = new Set();
let buffer = "";
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => {});
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf("\\n")) >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    if (line.startsWith("+")) pids.add(Number(line.slice(1)));
    else if (line.startsWith("-")) pids.delete(Number(line.slice(1)));
  }
});
process.stdin.on("end", () => {
  for (const pid of pids) { try { process.kill(pid, "SIGKILL"); } catch {} }
  process.exit(0);
});
`;

const tracked = new Set<number>();
let watchdog: ChildProcess | undefined;
let exitHookInstalled = false;

function killTrackedNow(): void {
  for (const pid of tracked) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  tracked.clear();
}

function ensureWatchdog(): ChildProcess | undefined {
  if (watchdog !== undefined && watchdog.exitCode === null && watchdog.signalCode === null) return watchdog;
  const child = spawn(process.execPath, ["-e", WATCHDOG_SOURCE], { stdio: ["pipe", "ignore", "ignore"], detached: true });
  // Neither the watchdog nor its pipe may keep this process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on("error", () => {
    // The watchdog died first; the exit handler remains as the fallback.
  });
  child.on("error", () => {
    watchdog = undefined;
  });
  watchdog = child;
  return child;
}

/** Registers a server process to be killed if this process dies before stopping it. */
export function guardProcess(pid: number): void {
  if (!exitHookInstalled) {
    process.on("exit", killTrackedNow);
    exitHookInstalled = true;
  }
  tracked.add(pid);
  ensureWatchdog()?.stdin?.write(`+${pid}\n`);
}

/** Unregisters a server process once it has exited. */
export function releaseProcess(pid: number): void {
  tracked.delete(pid);
  const child = watchdog;
  if (child?.stdin && !child.stdin.destroyed) child.stdin.write(`-${pid}\n`);
}
