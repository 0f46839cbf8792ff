/**
 * Records the commands a Redis server receives, through MONITOR: what clients sent (`client`) and
 * what scripts ran inside the server (`lua`). Use it on a server of the test's own, so that other
 * test files' traffic does not show up.
 */
import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import IORedis from "ioredis";
import { afterAll, beforeAll } from "vitest";

export interface SeenCommand {
  /** Command name (upper case) and arguments. */
  readonly args: string[];
  /** True when a Lua script issued it; false when a client sent it. */
  readonly fromScript: boolean;
}

export interface CommandRecorder {
  /** Waits until everything sent so far has been seen, returns it, and starts a new recording. */
  take(): Promise<SeenCommand[]>;
  /** Only the commands clients sent (not those issued by scripts). */
  takeClientCommands(): Promise<SeenCommand[]>;
  close(): Promise<void>;
}

export async function recordCommands(url: string): Promise<CommandRecorder> {
  const admin = new IORedis(url);
  // Connected first: ioredis marks a connection as monitoring only after MONITOR's reply, so the
  // admin's own connect-time INFO arriving in the same packet would break the monitor's parser.
  await admin.ping();
  const monitor = await admin.monitor();
  let seen: SeenCommand[] = [];
  const markers = new Map<string, () => void>();
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    const [name, ...rest] = args.map(String);
    if (name?.toUpperCase() === "ECHO" && rest[0] !== undefined && markers.has(rest[0])) {
      markers.get(rest[0])?.();
      return;
    }
    seen.push({ args: [String(name).toUpperCase(), ...rest], fromScript: source === "lua" });
  });
  const take = async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    const arrived = new Promise<void>((resolve) => markers.set(marker, resolve));
    await admin.echo(marker);
    await arrived;
    markers.delete(marker);
    const out = seen;
    seen = [];
    return out;
  };
  return {
    take,
    takeClientCommands: async () => (await take()).filter((c) => !c.fromScript),
    async close() {
      monitor.disconnect();
      admin.disconnect();
    },
  };
}

/**
 * Starts a Redis server of the calling test file's own, with a recorder on it, for the file's
 * lifetime. Read them inside tests: `env.server`, `env.recorder`.
 */
export function monitoredServer(): { readonly server: RedisServer; readonly recorder: CommandRecorder } {
  let server: RedisServer | undefined;
  let recorder: CommandRecorder | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    recorder = await recordCommands(server.url);
  });
  afterAll(async () => {
    await recorder?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the monitored server is not started (use it inside tests and hooks)");
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get recorder() {
      return ready(recorder);
    },
  };
}
