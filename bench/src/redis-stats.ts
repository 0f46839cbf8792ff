/**
 * Store commands per request for the Redis cases, from the Redis server itself:
 * - `INFO commandstats` before and after the measured slices: calls per command per request
 *   (commands run inside Lua scripts are counted too, under their own names);
 * - a census with `MONITOR` during a short run of sequential requests before measuring: which
 *   commands each request sends (round trips), classified as reads or writes. A script (EVALSHA)
 *   is a write when a command it ran was a write.
 */
import { connect } from "node:net";

/** Commands the orchestrator itself sends; never counted as the app's. */
const ADMIN_COMMANDS = new Set(["info", "config", "monitor", "command", "flushall", "flushdb", "ping", "client", "hello"]);

/** `cmdstat_<name>:calls=N,...` lines → calls by command name (subcommands as `config|get`). */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1] as string, Number(match[2]));
  return calls;
}

/** Calls per request of each app command between two `INFO commandstats` snapshots. */
export function commandsPerRequest(before: Map<string, number>, after: Map<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, calls] of after) {
    const base = name.split("|")[0] as string;
    if (ADMIN_COMMANDS.has(base)) continue;
    const delta = calls - (before.get(name) ?? 0);
    if (delta > 0) out[name] = requests > 0 ? delta / requests : Number.NaN;
  }
  return out;
}

/** One command seen by MONITOR. */
export interface MonitoredCommand {
  /** Lower-case command name. */
  name: string;
  /** Run by a Lua script rather than sent by a client. */
  fromScript: boolean;
}

/** Parses MONITOR lines (`<time> [<db> <client>|lua] "CMD" "arg" ...`). Other lines are skipped. */
export function parseMonitorLines(text: string): MonitoredCommand[] {
  const out: MonitoredCommand[] = [];
  for (const match of text.matchAll(/^\+?\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/gm)) {
    out.push({ name: (match[2] as string).toLowerCase(), fromScript: match[1] === "lua" });
  }
  return out;
}

export type CommandKind = "read" | "write" | "other";

/** One client round trip and what it did. */
export interface RoundTrip {
  name: string;
  kind: CommandKind;
}

/**
 * Groups monitored commands into client round trips. A client command is a read or write by its
 * own flags; a script is a write if any command it ran was a write, else a read if it read.
 */
export function classifyRoundTrips(commands: readonly MonitoredCommand[], kindOf: (name: string) => CommandKind): RoundTrip[] {
  const trips: RoundTrip[] = [];
  let script: { trip: RoundTrip; inner: CommandKind[] } | null = null;
  const closeScript = () => {
    if (script === null) return;
    script.trip.kind = script.inner.includes("write") ? "write" : script.inner.includes("read") ? "read" : "other";
    script = null;
  };
  for (const command of commands) {
    if (command.fromScript) {
      script?.inner.push(kindOf(command.name));
      continue;
    }
    closeScript();
    if (ADMIN_COMMANDS.has(command.name)) continue;
    const trip: RoundTrip = { name: command.name, kind: kindOf(command.name) };
    trips.push(trip);
    if (["eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"].includes(command.name)) script = { trip, inner: [] };
  }
  closeScript();
  return trips;
}

/** Round trips per request, by kind and by command (`evalsha` counted as written). */
export interface RoundTripCensus {
  requests: number;
  reads: number;
  writes: number;
  other: number;
  byCommand: Record<string, number>;
}

export function summarizeRoundTrips(trips: readonly RoundTrip[], requests: number): RoundTripCensus {
  const byCommand: Record<string, number> = {};
  const count = { read: 0, write: 0, other: 0 };
  for (const trip of trips) {
    count[trip.kind]++;
    const key = `${trip.name} (${trip.kind})`;
    byCommand[key] = (byCommand[key] ?? 0) + 1;
  }
  for (const key of Object.keys(byCommand)) byCommand[key] = (byCommand[key] as number) / requests;
  return { requests, reads: count.read / requests, writes: count.write / requests, other: count.other / requests, byCommand };
}

/** Classifies commands by the server's own `COMMAND INFO` flags (`write`, `readonly`). */
export function kindFromFlags(flags: readonly string[]): CommandKind {
  if (flags.includes("write")) return "write";
  if (flags.includes("readonly")) return "read";
  return "other";
}

/** Resolves command names to kinds, asking the server once per name. */
export type CommandKindResolver = (names: Iterable<string>) => Promise<(name: string) => CommandKind>;

/** A {@link CommandKindResolver} over `COMMAND INFO`, sent with `command` (e.g. test-redis's `server.command`). */
export function commandKindResolver(command: (...args: string[]) => Promise<unknown>): CommandKindResolver {
  const cache = new Map<string, CommandKind>();
  return async (names) => {
    for (const name of names) {
      if (cache.has(name)) continue;
      const reply = (await command("COMMAND", "INFO", name)) as unknown[] | null;
      const entry = reply?.[0] as unknown[] | null | undefined;
      const flags = Array.isArray(entry?.[2]) ? (entry[2] as unknown[]).map(String) : [];
      cache.set(name, kindFromFlags(flags));
    }
    return (name) => cache.get(name) ?? "other";
  };
}

/** A MONITOR connection collecting what the server executes until `stop()`. */
export interface Monitor {
  stop(): Promise<MonitoredCommand[]>;
}

export function startMonitor(port: number, host = "127.0.0.1"): Promise<Monitor> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let text = "";
    let ready = false;
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write("MONITOR\r\n"));
    socket.on("error", (error) => {
      if (!ready) reject(error);
    });
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (!ready && text.startsWith("+OK\r\n")) {
        ready = true;
        text = text.slice(5);
        resolve({
          stop: () =>
            new Promise((done) => {
              // Let the last replies arrive before closing.
              setTimeout(() => {
                socket.destroy();
                done(parseMonitorLines(text));
              }, 100);
            }),
        });
      }
    });
  });
}
