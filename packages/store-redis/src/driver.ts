/**
 * One small interface over the four supported client kinds, so the store's logic is written once.
 */

/** Which library and topology a client is. */
export type ClientKind = "node-redis" | "node-redis-cluster" | "ioredis" | "ioredis-cluster";

/** Sends raw commands to one node (used to SCAN every master of a cluster). */
export interface NodeSender {
  send(command: string, args: string[]): Promise<unknown>;
}

/** What the store needs from a client. */
export interface RedisDriver {
  readonly kind: ClientKind;
  /**
   * Sends one command. `key` is the key the command touches (it routes the command to the right
   * node on a cluster); `args` are the arguments after the command name, `key` included.
   */
  send(key: string, command: string, args: string[]): Promise<unknown>;
  /** One sender per master node (the client itself on a standalone server). */
  masters(): Promise<NodeSender[]>;
  /** Prefix the client adds to every key by itself (ioredis `keyPrefix`), or `""`. */
  readonly clientKeyPrefix: string;
  /**
   * `undefined` while the client can carry commands, otherwise a short description of why not
   * (e.g. `status "reconnecting"`). Used to tell "Redis is unreachable" from "Redis is slow".
   */
  connectionProblem(): string | undefined;
}
