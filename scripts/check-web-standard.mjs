#!/usr/bin/env node
/**
 * Fails when a package that must run on every runtime (core, adapter-hono) uses a Node-only API
 * in its sources or its built output: a `node:*` import or require, a Node built-in module,
 * `Buffer`, or `process`. The linter checks sources too; this also checks what is published.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const packages = ["packages/core", "packages/adapter-hono"];
const BUILTINS = "fs|crypto|buffer|path|os|http|https|stream|util|events|net|tls|child_process|worker_threads|zlib";
const rules = [
  { name: "node: import", pattern: /\b(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/ },
  { name: "Node built-in import", pattern: new RegExp(`\\b(?:from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*)["'](?:${BUILTINS})["']`) },
  { name: "Buffer", pattern: /(?<![\w.$])Buffer\s*[.(]/ },
  {
    name: "process",
    pattern: /(?<![\w.$])process\s*\.\s*(?:env|versions|version|nextTick|platform|argv|cwd|exit|on|hrtime|memoryUsage)\b/,
  },
];

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(?:[cm]?[jt]s)$/.test(entry) && !entry.endsWith(".map")) yield path;
  }
}

let problems = 0;
let scanned = 0;
for (const pkg of packages) {
  for (const sub of ["src", "dist"]) {
    const dir = join(root, pkg, sub);
    if (!existsSync(dir)) {
      if (sub === "dist" && existsSync(join(root, pkg))) {
        console.error(`${pkg}/dist is missing: build before this check.`);
        problems++;
      }
      continue;
    }
    for (const file of files(dir)) {
      scanned++;
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, index) => {
        const code = line.replace(/\/\/.*$/, "");
        for (const rule of rules) {
          if (rule.pattern.test(code)) {
            console.error(`${relative(root, file)}:${index + 1}: ${rule.name}: ${line.trim()}`);
            problems++;
          }
        }
      });
    }
  }
}
if (problems > 0) {
  console.error(`${problems} Node-only use(s) found in packages that must run on every runtime.`);
  process.exit(1);
}
console.log(`web-standard check: ${scanned} files clean in ${packages.join(", ")}.`);
