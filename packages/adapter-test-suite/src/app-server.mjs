/**
 * The app a store's two-process check runs in each child process (plain node, built packages):
 * node:http + the Tessera core over the given store. Prints `listening <port>` once ready.
 * Routes: /count (+1), /login?user=... (regenerate keeping data, with an owner), /logout, / (read);
 * each answers `{ served, pid, isNew, data }` (`AppReply` in app-fleet.ts).
 */
import { createServer } from "node:http";
import { createSessionManager } from "@tessera/core";

/**
 * Serves the app until SIGTERM, then closes the server and calls `close` (the store's client).
 * @param {{ name: string, secret: string, store: import("@tessera/core").Store, close: () => unknown }} options
 */
export function serveSessionApp({ name, secret, store, close }) {
  const manager = createSessionManager({ secrets: [secret], store });
  const server = createServer(async (req, res) => {
    try {
      const session = await manager.load({ cookieHeader: req.headers.cookie ?? null });
      const path = new URL(req.url ?? "/", "http://app").pathname;
      const query = new URL(req.url ?? "/", "http://app").searchParams;
      if (path === "/count") session.set("count", (session.get("count") ?? 0) + 1);
      if (path === "/login") {
        session.regenerate({ keepData: true });
        session.owner = query.get("user") ?? "anonymous";
        session.set("user", session.owner);
      }
      if (path === "/logout") session.destroy();
      const cookies = [];
      await manager.commit(session, { appendSetCookie: (line) => cookies.push(line) });
      res.setHeader("content-type", "application/json");
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      res.end(JSON.stringify({ served: name, pid: process.pid, isNew: session.isNew, data: session.toJSON() }));
    } catch (error) {
      res.statusCode = 500;
      res.end(JSON.stringify({ served: name, error: error?.code ?? String(error) }));
    }
  });

  server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
  process.on("SIGTERM", () => {
    server.close();
    Promise.resolve(close()).finally(() => process.exit(0));
  });
}
