#!/usr/bin/env node
/**
 * Serves the bundled Worker in workerd through miniflare, with a real (local) KV namespace bound
 * as SESSIONS and persisted in a directory, so a restarted host sees the same sessions. Recent
 * miniflare releases need Node >= 22: the test starts this file with the npm `node@22` binary.
 *
 * Usage: node miniflare-host.mjs <worker-bundle.mjs> <kv-persist-dir>   (SESSION_SECRET from env)
 *
 * Prints one JSON line `{ "url", "inspect" }`: the Worker's address, and a loopback endpoint whose
 * `GET /keys` lists the KV keys with their expiration (what the test checks the store wrote).
 * Stops when its standard input closes (the test ended or died) or on SIGTERM.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Miniflare } from "miniflare";

const [bundle, persistDir] = process.argv.slice(2);
if (!bundle || !persistDir || !process.env.SESSION_SECRET) {
  console.error("usage: SESSION_SECRET=... miniflare-host.mjs <worker-bundle.mjs> <kv-persist-dir>");
  process.exit(2);
}

const mf = new Miniflare({
  modules: true,
  script: readFileSync(bundle, "utf8"),
  scriptPath: bundle,
  compatibilityDate: "2026-07-01",
  kvNamespaces: ["SESSIONS"],
  kvPersist: persistDir,
  bindings: { SESSION_SECRET: process.env.SESSION_SECRET },
  host: "127.0.0.1",
  port: 0,
});
const url = await mf.ready;
const kv = await mf.getKVNamespace("SESSIONS");

const inspector = createServer(async (request, response) => {
  if (request.url !== "/keys") {
    response.writeHead(404).end();
    return;
  }
  const keys = [];
  let cursor;
  do {
    const page = await kv.list({ cursor });
    keys.push(...page.keys.map(({ name, expiration }) => ({ name, expiration: expiration ?? null })));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(keys));
});
await new Promise((resolve) => inspector.listen(0, "127.0.0.1", resolve));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  inspector.close();
  await mf.dispose();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();

console.log(JSON.stringify({ url: url.href, inspect: `http://127.0.0.1:${inspector.address().port}` }));
