/**
 * A minimal RESP2 client for test plumbing: one command over a fresh loopback connection, one
 * reply. Enough to PING a starting server, read `CLUSTER INFO`, or send an admin command from a
 * test without choosing a Redis client library. Not for application traffic.
 */
import { connect } from "node:net";

/** A decoded RESP2 reply: simple and bulk strings, integers, nil, arrays. Error replies reject. */
export type RespValue = string | number | null | RespValue[];

/** Options of {@link redisCommand}. */
export interface RedisCommandOptions {
  /** Host to connect to. Default `127.0.0.1`. */
  host?: string;
  /** Rejects when no complete reply arrived within this many ms. Default 5000. */
  timeoutMs?: number;
}

/** Encodes one command as a RESP array of bulk strings. */
function encode(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg), "utf8");
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Thrown for a `-ERR ...` reply; `message` is the server's text. */
export class RespErrorReply extends Error {
  override readonly name = "RespErrorReply";
}

type Parsed = { value: RespValue | RespErrorReply; next: number } | undefined;

/** Parses one reply starting at `offset`; `undefined` while the buffer holds only part of it. */
function parse(buffer: Buffer, offset: number): Parsed {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset] as number);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, next: afterLine };
    case "-":
      return { value: new RespErrorReply(line), next: afterLine };
    case ":":
      return { value: Number(line), next: afterLine };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      return { value: buffer.toString("utf8", afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, next);
        if (item === undefined) return undefined;
        if (item.value instanceof RespErrorReply) return { value: item.value, next: item.next };
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Sends one command to the Redis server at `port` and resolves its reply. Rejects with
 * {@link RespErrorReply} for an error reply, and with the socket error when the server is not
 * reachable (e.g. `ECONNREFUSED` while it is starting).
 */
export function redisCommand(port: number, args: readonly (string | number)[], options: RedisCommandOptions = {}): Promise<RespValue> {
  const host = options.host ?? "127.0.0.1";
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise<RespValue>((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | undefined, value?: RespValue) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? null);
    };
    const timer = setTimeout(
      () => finish(new Error(`redis ${host}:${port} did not answer ${String(args[0])} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on("connect", () => socket.write(encode(args)));
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let parsed: Parsed;
      try {
        parsed = parse(buffer, 0);
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (parsed === undefined) return;
      if (parsed.value instanceof RespErrorReply) finish(parsed.value);
      else finish(undefined, parsed.value);
    });
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish(new Error(`redis ${host}:${port} closed the connection before replying to ${String(args[0])}`)));
  });
}
