/**
 * Serves a Node request listener on a random loopback port, so scenarios run over real HTTP.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningApp } from "./contract.js";

/** Starts `listener` (or an already created server) on 127.0.0.1 and a free port. */
export async function serveNode(listener: RequestListener | Server): Promise<RunningApp & { url: string }> {
  const server = typeof listener === "function" ? createServer(listener) : listener;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    fetch: (path, init = {}) => fetch(`${url}${path}`, { ...init, redirect: "manual" }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
