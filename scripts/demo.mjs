#!/usr/bin/env node
/**
 * `pnpm demo`: starts the demo app on Express, Koa and Hono (each on its own port, same behaviour)
 * and prints their URLs. `pnpm demo` builds first; this script expects the examples built.
 *
 *   node scripts/demo.mjs              ports 3001 (Express), 3002 (Koa), 3003 (Hono)
 *   node scripts/demo.mjs --port 0     random free ports (used by the browser test)
 *   pnpm demo --port 4000              ports 4000, 4001, 4002
 *   REDIS_URL=redis://127.0.0.1:6379 pnpm demo   sessions in Redis instead of memory
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const portArgument = process.argv.indexOf("--port");
const base = Number(portArgument > 0 ? process.argv[portArgument + 1] : 3001);
if (!Number.isInteger(base) || base < 0 || base > 65533) {
  console.error("--port takes a port number (the first of three), or 0 for random ports.");
  process.exit(1);
}
const apps = [
  ["Express", "examples/express"],
  ["Koa", "examples/koa"],
  ["Hono", "examples/hono-node"],
];

const started = [];
for (const [index, [name, dir]] of apps.entries()) {
  const entry = join(root, dir, "dist/server.js");
  if (!existsSync(entry)) {
    console.error(`${entry} is missing: run \`pnpm demo\` (it builds first) or \`pnpm build\`.`);
    process.exit(1);
  }
  const { start } = await import(pathToFileURL(entry).href);
  try {
    started.push({ name, ...(await start({ port: base === 0 ? 0 : base + index })) });
  } catch (error) {
    console.error(
      `Could not start the ${name} demo: ${error.message}${error.code === "EADDRINUSE" ? " (use --port to choose other ports)" : ""}`,
    );
    await Promise.all(started.map((app) => app.close()));
    process.exit(1);
  }
}

console.log(`\nTessera demo — sessions in ${started[0].store === "memory" ? "memory (set REDIS_URL to use Redis)" : started[0].store}\n`);
for (const app of started) console.log(`  ${app.name.padEnd(8)} ${app.url}`);
console.log('\nLog in (tick "remember me" for a persistent cookie), open the profile, log out.\nPress Ctrl+C to stop.');

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    // Open browser connections may hold a server open: give the servers a moment, then exit anyway.
    setTimeout(() => process.exit(0), 2000).unref();
    await Promise.all(started.map((app) => app.close()));
    process.exit(0);
  });
}
