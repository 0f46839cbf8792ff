#!/usr/bin/env node
/**
 * Every `.changeset/*.md` must be a changeset the release can consume: runs `changeset version`
 * (the release step itself, not a re-implementation of its parser) in a temporary copy holding
 * only `.changeset/` and the workspace's package.json files, so the real tree is never touched.
 * Fails when changesets exits non-zero (bad front matter, an unknown package or bump type) or
 * when any changeset is left unconsumed afterwards.
 *
 * Usage: node scripts/check-changesets.mjs [--changeset-dir <dir>]
 *   --changeset-dir  check that directory instead of `.changeset/` (its config.json included)
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(new URL("..", import.meta.url).pathname);
const { values: args } = parseArgs({ options: { "changeset-dir": { type: "string" } } });
const source = resolve(args["changeset-dir"] ?? join(root, ".changeset"));
const isChangeset = (name) => name.endsWith(".md") && name !== "README.md";
const changesets = readdirSync(source).filter(isChangeset);

/** The workspace's package directories, from the globs in pnpm-workspace.yaml (`dir/*` or `dir`). */
function workspaceDirs() {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const globs = [...(/^packages:\n((?:[ \t]+-.*\n)+)/m.exec(yaml)?.[1] ?? "").matchAll(/-\s*["']?([^"'\n]+)["']?/g)].map((m) =>
    m[1].trim(),
  );
  return globs.flatMap((glob) =>
    glob.endsWith("/*")
      ? readdirSync(join(root, glob.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${glob.slice(0, -2)}/${entry.name}`)
      : [glob],
  );
}

const work = mkdtempSync(join(tmpdir(), "tessera-changesets-"));
let ok = false;
try {
  cpSync(join(root, "package.json"), join(work, "package.json"));
  cpSync(join(root, "pnpm-workspace.yaml"), join(work, "pnpm-workspace.yaml"));
  for (const dir of workspaceDirs()) {
    if (!existsSync(join(root, dir, "package.json"))) continue;
    mkdirSync(join(work, dir), { recursive: true });
    cpSync(join(root, dir, "package.json"), join(work, dir, "package.json"));
  }
  cpSync(source, join(work, ".changeset"), { recursive: true });

  const bin = join(dirname(createRequire(import.meta.url).resolve("@changesets/cli/package.json")), "bin.js");
  const result = spawnSync(process.execPath, [bin, "version"], { cwd: work, encoding: "utf8" });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  const left = readdirSync(join(work, ".changeset")).filter(isChangeset);
  if (result.status !== 0) console.error(`changesets: \`changeset version\` failed on ${changesets.length} changeset(s)`);
  else if (left.length > 0) console.error(`changesets: not consumed by \`changeset version\`: ${left.join(", ")}`);
  else {
    ok = true;
    console.log(`changesets: ${changesets.length} changeset(s) parse and version cleanly`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
