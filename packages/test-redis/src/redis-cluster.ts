/**
 * `startRedisCluster()`: a throwaway Redis Cluster of masters only (3 by default) on random
 * loopback ports, created with `redis-cli --cluster create`, resolved once every node reports
 * `cluster_state:ok` and knows every other node.
 */
import { execFile } from "node:child_process";
import { type RedisServer, startRedisServer } from "./redis-server.js";

/** Options of {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** Number of master nodes (the slots are split between them). Default 3, the Redis minimum. */
  masters?: number;
  /** Extra `redis-server` arguments for every node. */
  args?: readonly string[];
  /** Gives up when the cluster is not ready within this many ms. Default 30000. */
  startTimeoutMs?: number;
  /** The server binary. Default `$REDIS_SERVER_BIN`, else `redis-server` from PATH. */
  redisServerPath?: string;
  /** The CLI used to create the cluster. Default `$REDIS_CLI_BIN`, else `redis-cli` from PATH. */
  redisCliPath?: string;
}

/** A running cluster. Stop it with `stop()` (idempotent). */
export interface RedisCluster {
  /** One `redis://127.0.0.1:<port>` URL per master node. */
  readonly urls: string[];
  /** `{ host, port }` of each master node: the seed list cluster clients take. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** The node servers, e.g. to run `SCRIPT FLUSH` on each. */
  readonly servers: RedisServer[];
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

/** Resolves once every node says `cluster_state:ok` and knows all `count` nodes. */
async function waitForClusterOk(servers: RedisServer[], deadline: number): Promise<void> {
  let last = "";
  while (Date.now() < deadline) {
    const infos = await Promise.all(servers.map((server) => server.command("CLUSTER", "INFO").catch((error: Error) => error.message)));
    const ready = infos.every(
      (info) => typeof info === "string" && info.includes("cluster_state:ok") && info.includes(`cluster_known_nodes:${servers.length}`),
    );
    if (ready) return;
    last = infos.map(String).join("\n---\n");
    await sleep(50);
  }
  throw new Error(`[test-redis] the cluster did not reach cluster_state:ok in time. Last CLUSTER INFO:\n${last}`);
}

/** Starts the nodes, joins them into a cluster and waits until every node is ready. */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) throw new Error("[test-redis] a Redis Cluster needs at least 3 masters.");
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + startTimeoutMs;
  const cli = options.redisCliPath ?? process.env.REDIS_CLI_BIN ?? "redis-cli";
  const started = await Promise.allSettled(
    Array.from({ length: masters }, () =>
      startRedisServer({
        needsBusPort: true,
        args: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "5000",
          ...(options.args ?? []),
        ],
        ...(options.redisServerPath === undefined ? {} : { redisServerPath: options.redisServerPath }),
      }),
    ),
  );
  const servers = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stopAll = () => Promise.all(servers.map((server) => server.stop())).then(() => undefined);
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await run(
      cli,
      ["--cluster", "create", ...servers.map((s) => `${s.host}:${s.port}`), "--cluster-replicas", "0", "--cluster-yes"],
      Math.max(1_000, deadline - Date.now()),
    );
    await waitForClusterOk(servers, deadline);
  } catch (error) {
    await stopAll();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    urls: servers.map((s) => s.url),
    nodes: servers.map((s) => ({ host: s.host, port: s.port })),
    servers,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
