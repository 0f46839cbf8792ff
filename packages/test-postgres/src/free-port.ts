/**
 * A free loopback TCP port, found by binding to port 0. There is a window between the check and the
 * server's own bind, so the caller retries when the server reports the port taken.
 */
import { createServer } from "node:net";

/** A port the kernel hands out for `host:0`, released again before returning. */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
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
