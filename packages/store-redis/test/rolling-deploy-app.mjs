/**
 * One app process for the rolling-deploy test: node:http + the Tessera core + the Redis store
 * (node-redis). Plain JavaScript because Node 20 cannot run TypeScript; it loads the built packages.
 * Usage: node rolling-deploy-app.mjs <redis-url>
 * Env: SESSION_SECRETS (the `secrets` option as JSON), SESSION_PREFIX.
 * Prints `listening <port>` once ready. Every request adds 1 to the session's counter and answers
 * `{ count, isNew }`.
 */
import { createServer } from "node:http";
import { createSessionManager } from "@tessera/core";
import { redisStore } from "@tessera/store-redis";
import { createClient } from "redis";

const [url] = process.argv.slice(2);
const client = createClient({ url });
client.on("error", () => {});
await client.connect();

const manager = createSessionManager({
  secrets: JSON.parse(process.env.SESSION_SECRETS ?? "null"),
  store: redisStore({ client, prefix: process.env.SESSION_PREFIX }),
});

const server = createServer(async (req, res) => {
  try {
    const session = await manager.load({ cookieHeader: req.headers.cookie ?? null });
    const isNew = session.isNew;
    session.set("count", (session.get("count") ?? 0) + 1);
    const cookies = [];
    await manager.commit(session, { appendSetCookie: (line) => cookies.push(line) });
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ count: session.get("count"), isNew }));
  } catch (error) {
    res.statusCode = 500;
    res.end(JSON.stringify({ error: error?.code ?? String(error) }));
  }
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  client.quit().finally(() => process.exit(0));
});
