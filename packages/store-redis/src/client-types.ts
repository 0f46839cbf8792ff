/**
 * The client shapes the store accepts, described structurally so that neither `redis` nor
 * `ioredis` is imported (both are optional peer dependencies). Pass the client object you already
 * have; the store only sends commands through it and never closes it.
 */

/*
 * Command arguments are a mutable `string[]` because node-redis declares them mutable (v4 clients,
 * and v4/v5/v6 clusters), so a `readonly string[]` here would reject those clients at compile time.
 */

/** A node-redis (v4.6+, v5 or v6) client from `createClient()`. */
export interface NodeRedisClientLike {
  sendCommand(args: string[], options?: unknown): Promise<unknown>;
  readonly isOpen: boolean;
  readonly isReady: boolean;
}

/** A node-redis (v4.6+, v5 or v6) cluster from `createCluster()`. */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[], options?: unknown): Promise<unknown>;
  readonly masters: readonly unknown[];
  nodeClient(node: never): unknown;
  readonly isOpen: boolean;
}

/** An ioredis (v5 or v6) `Redis` client. */
export interface IORedisLike {
  call(command: string, args: Array<string | number>): Promise<unknown>;
  readonly status: string;
  readonly isCluster: boolean;
  readonly options: object;
}

/** An ioredis (v5 or v6) `Cluster`. */
export interface IORedisClusterLike extends IORedisLike {
  nodes(role?: "all" | "master" | "slave"): unknown[];
}

/** Any client {@link redisStore} accepts. */
export type RedisClientLike = NodeRedisClientLike | NodeRedisClusterLike | IORedisLike | IORedisClusterLike;
