/**
 * Finding a free loopback TCP port by binding to it. There is a window between the check and the
 * server's own bind, so callers retry when the server reports the port taken.
 */
import { createServer } from "node:net";

/** Resolves true when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel hands out for `host:0`. */
function ephemeralPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the bound port"));
      });
    });
  });
}

/**
 * A free port on `host`. With `companionOffset`, `port + companionOffset` is free too (Redis
 * Cluster nodes also listen on their bus port, `port + 10000`).
 */
export async function findFreePort(options: { host?: string; companionOffset?: number } = {}): Promise<number> {
  const host = options.host ?? "127.0.0.1";
  const offset = options.companionOffset;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (offset === undefined) return ephemeralPort(host);
    // The kernel's ephemeral range often reaches 60999, too high for a +10000 companion: pick below.
    const port = 20_000 + Math.floor(Math.random() * (65_535 - offset - 20_000));
    if ((await isPortFree(port, host)) && (await isPortFree(port + offset, host))) return port;
  }
  throw new Error(`no free port pair (port, port + ${offset}) found on ${host}`);
}
