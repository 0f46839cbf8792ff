#!/usr/bin/env node
/**
 * Runs the bundled suite worker in Cloudflare's workerd through miniflare. The worker logs one
 * line per case (miniflare forwards workerd's output); this host prints the report after the
 * marker. Recent miniflare releases need Node >= 22, so scripts/matrix.mjs starts this file with
 * the npm `node@22` binary.
 *
 * Usage: node workerd-host.mjs <worker-bundle.mjs>
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Miniflare } from "miniflare";

/** The workerd release miniflare runs (the worker itself cannot see it). */
function workerdVersion() {
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  return JSON.parse(readFileSync(fromMiniflare.resolve("workerd/package.json"), "utf8")).version;
}

const [bundle] = process.argv.slice(2);
if (!bundle) {
  console.error("usage: workerd-host.mjs <worker-bundle.mjs>");
  process.exit(2);
}

const MARKER = "@@tessera-runtime-report@@";
const mf = new Miniflare({
  modules: true,
  script: readFileSync(bundle, "utf8"),
  scriptPath: bundle,
  // No nodejs_compat flag: the worker gets workerd's Web-standard globals and nothing of Node's.
  compatibilityDate: "2026-07-01",
});
try {
  const response = await mf.dispatchFetch("http://runtime-tests.local/");
  const text = await response.text();
  if (!response.ok) throw new Error(`the worker answered ${response.status}: ${text.slice(0, 2000)}`);
  const report = JSON.parse(text);
  report.runtime = `${report.runtime} ${workerdVersion()} (miniflare, node ${process.versions.node})`;
  console.log(`${MARKER}${JSON.stringify(report)}`);
} finally {
  await mf.dispose();
}
