#!/usr/bin/env node
/**
 * The adapter and store test suites against the LOWEST version of every peer dependency range,
 * so that a `peerDependencies` floor is a tested claim, not a guess.
 *
 * In a temporary copy of the workspace (only the packages under test and the workspace packages
 * they depend on; the real tree and its lockfile are never touched):
 *  1. every devDependency that installs a peer (`express`, or an alias such as
 *     `express4: npm:express@…`) is pinned to the lowest published version of the peer range
 *     within that devDependency's major, and the devDependency with the lowest major gets the
 *     lowest version of the whole range (so `^4.17.0 || ^5.0.0` runs 4.17.0 and 5.0.0);
 *  2. `pnpm install --no-frozen-lockfile --prefer-offline`, then every package's build;
 *  3. the versions pnpm actually installed are read back from node_modules and printed (a mismatch
 *     with the pin fails the run);
 *  4. one `vitest run --project …` over the selected projects, with a JSON report.
 *
 * Usage: node scripts/lowest-peers.mjs [--report <file.json>] [--project <name>]… [--keep]
 *   --report   write vitest's JSON report there (scripts/test.mjs adds its counts to the totals)
 *   --project  run only these vitest projects (default: every adapter and store package)
 *   --keep     leave the temporary copy in place and print its path
 *   --use-built  copy each package's dist/ from the tree instead of building the copy (what
 *              scripts/test.mjs does right after its build: peers are external in every bundle,
 *              so the output does not depend on the peer versions installed)
 * Needs the npm registry (`npm view` for the version lists, pnpm for anything not in the store).
 */
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";

const execFileAsync = promisify(execFile);

const root = resolve(new URL("..", import.meta.url).pathname);
const { values: args } = parseArgs({
  options: {
    report: { type: "string" },
    project: { type: "string", multiple: true },
    keep: { type: "boolean", default: false },
    "use-built": { type: "boolean", default: false },
  },
});

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[lowest-peers ${elapsed()}] ${line}`);

function sh(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: "inherit", ...options, env: { ...process.env, ...options.env } });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${commandArgs.join(" ")} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** The workspace packages under packages/, by name. */
const workspace = new Map();
for (const dir of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", dir, "package.json");
  if (existsSync(file)) workspace.set(readJson(file).name, { dir: `packages/${dir}`, pkg: readJson(file) });
}

/** Type packages, the test runner and workspace packages are not runtime peers of the code under test. */
const isRuntimePeer = (peer) => !peer.startsWith("@types/") && !peer.startsWith("@tessera/") && peer !== "vitest";

/** A package's vitest project name, read from its vitest.config.ts. */
function projectName(dir) {
  const config = join(root, dir, "vitest.config.ts");
  if (!existsSync(config)) return undefined;
  return /name:\s*"([^"]+)"/.exec(readFileSync(config, "utf8"))?.[1];
}

const underTest = [...workspace.values()].filter(({ dir }) => /^packages\/(adapter|store)-/.test(dir) && projectName(dir));
const defaultProjects = underTest.filter(({ pkg }) => Object.keys(pkg.peerDependencies ?? {}).some((peer) => isRuntimePeer(peer)));
const projects = args.project ?? defaultProjects.map(({ dir }) => projectName(dir));
const selected = underTest.filter(({ dir }) => projects.includes(projectName(dir)));
const unknown = projects.filter((p) => !selected.some(({ dir }) => projectName(dir) === p));
if (unknown.length > 0) throw new Error(`no package has the vitest project ${unknown.join(", ")}`);

/** The selected packages plus every workspace package they depend on, transitively. */
const closure = new Set();
const visit = (name) => {
  if (closure.has(name) || !workspace.has(name)) return;
  closure.add(name);
  const { pkg } = workspace.get(name);
  for (const deps of [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]) {
    for (const [dep, spec] of Object.entries(deps ?? {})) if (String(spec).startsWith("workspace:")) visit(dep);
  }
};
for (const { pkg } of selected) visit(pkg.name);
const copiedDirs = [...closure].map((name) => workspace.get(name).dir).sort();

// --- the lowest versions -------------------------------------------------------------------------

const numeric = (version) => version.split(/[.+-]/).slice(0, 3).map(Number);
const compareVersions = (a, b) => {
  const [x, y] = [numeric(a), numeric(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
/** The first number of a range such as `^4.22.3`, `>=0.2.0` or `~5.9.3`: the line it targets. */
const rangeMajor = (range) => Number(/(\d+)/.exec(range)?.[1] ?? Number.NaN);

/** Every published, non-prerelease version that satisfies `range`, lowest first. */
async function versionsSatisfying(name, range) {
  const key = `${name}@${range}`;
  const { stdout } = await execFileAsync("npm", ["view", key, "version", "--json"], { encoding: "utf8" }).catch((error) => {
    throw new Error(`npm view ${key} failed: ${error.stderr ?? error.message}`);
  });
  const versions = [JSON.parse(stdout)].flat().filter((v) => !v.includes("-"));
  if (versions.length === 0) throw new Error(`no published version of ${name} satisfies ${range}`);
  return versions.sort(compareVersions);
}

/**
 * Test-harness devDependencies whose current release needs a newer peer than the lowest one,
 * although their own peer range claims otherwise: the range installed beside the lowest peers.
 * (@hono/node-server 2 imports `defineWebSocketHelper` from `hono/ws`, which Hono 4.1 lacks.)
 */
const HARNESS_FOR_LOWEST = { "@hono/node-server": "^1.19.0" };

/** `express4: npm:express@^4.22.3` → { peer: "express", range: "^4.22.3" }; plain names map to themselves. */
function installs(devName, spec) {
  const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(spec);
  return alias ? { peer: alias[1], range: alias[2] } : { peer: devName, range: spec };
}

const peerRanges = selected.flatMap(({ pkg }) => Object.entries(pkg.peerDependencies ?? {}).filter(([peer]) => isRuntimePeer(peer)));
log(`npm view: the published versions of ${peerRanges.length} peer ranges`);
const published = new Map(
  await Promise.all(peerRanges.map(async ([peer, range]) => [`${peer}@${range}`, await versionsSatisfying(peer, range)])),
);

/** Per selected package: which devDependency is pinned to which version of which peer. */
const pins = [];
for (const { dir, pkg } of selected) {
  for (const [peer, peerRange] of Object.entries(pkg.peerDependencies ?? {})) {
    if (!isRuntimePeer(peer)) continue;
    const versions = published.get(`${peer}@${peerRange}`);
    const devDeps = Object.entries(pkg.devDependencies ?? {})
      .map(([devName, spec]) => ({ devName, spec, ...installs(devName, spec) }))
      .filter((d) => d.peer === peer)
      .sort((a, b) => rangeMajor(a.range) - rangeMajor(b.range));
    if (devDeps.length === 0) throw new Error(`${pkg.name} has no devDependency installing its peer ${peer}`);
    devDeps.forEach((d, index) => {
      const sameMajor = versions.filter((v) => numeric(v)[0] === rangeMajor(d.range));
      const version = index === 0 ? versions[0] : sameMajor[0];
      if (!version) throw new Error(`${pkg.name}: no version of ${peer} ${peerRange} in the line of ${d.devName} ${d.spec}`);
      pins.push({ dir, name: pkg.name, peer, peerRange, devName: d.devName, spec: d.spec, version });
    });
  }
}

// --- the temporary workspace ---------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "tessera-lowest-peers-"));
const skip = new Set(["node_modules", "dist", ".turbo", ".tmp", "coverage", ".git"]);
const copy = (path) => cpSync(join(root, path), join(work, path), { recursive: true, filter: (source) => !skip.has(basename(source)) });

try {
  log(`copy of ${copiedDirs.length} workspace packages in ${work}`);
  for (const entry of readdirSync(root, { withFileTypes: true })) if (entry.isFile()) copy(entry.name);
  for (const dir of copiedDirs) copy(dir);

  const workspaceYaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").replace(
    /^packages:\n(?:[ \t]+-.*\n)+/m,
    `packages:\n${copiedDirs.map((dir) => `  - ${dir}\n`).join("")}`,
  );
  writeFileSync(join(work, "pnpm-workspace.yaml"), workspaceYaml);

  // The root keeps only what building and testing need (no linters, turbo or runtime binaries).
  const rootPkg = readJson(join(work, "package.json"));
  const keepRoot = ["tsup", "typescript", "vitest"];
  rootPkg.devDependencies = Object.fromEntries(Object.entries(rootPkg.devDependencies ?? {}).filter(([name]) => keepRoot.includes(name)));
  rootPkg.scripts = {};
  writeJson(join(work, "package.json"), rootPkg);
  writeFileSync(
    join(work, "vitest.config.ts"),
    `import { defineConfig } from "vitest/config";\n\nexport default defineConfig({ test: { projects: ${JSON.stringify(
      selected.map(({ dir }) => `${dir}/vitest.config.ts`),
    )} } });\n`,
  );

  for (const dir of new Set(pins.map((p) => p.dir))) {
    const file = join(work, dir, "package.json");
    const pkg = readJson(file);
    for (const pin of pins.filter((p) => p.dir === dir)) {
      pkg.devDependencies[pin.devName] = pin.devName === pin.peer ? pin.version : `npm:${pin.peer}@${pin.version}`;
    }
    for (const [harness, range] of Object.entries(HARNESS_FOR_LOWEST))
      if (pkg.devDependencies?.[harness]) pkg.devDependencies[harness] = range;
    writeJson(file, pkg);
  }

  log("pnpm install (lowest peers)");
  sh("pnpm", ["install", "--no-frozen-lockfile", "--prefer-offline", "--config.confirmModulesPurge=false", "--reporter=append-only"], {
    cwd: work,
    env: { CI: "1" },
  });

  if (args["use-built"]) {
    log("dist/ of every package from the tree");
    for (const dir of copiedDirs) {
      if (!readJson(join(root, dir, "package.json")).scripts?.build) continue;
      if (!existsSync(join(root, dir, "dist"))) throw new Error(`${dir}/dist is missing: build first, or drop --use-built`);
      cpSync(join(root, dir, "dist"), join(work, dir, "dist"), { recursive: true });
    }
  } else {
    log("build");
    const build = spawnSync("pnpm", ["--recursive", "--reporter=append-only", "run", "build"], { cwd: work, encoding: "utf8" });
    if (build.status !== 0) {
      process.stdout.write(build.stdout);
      process.stderr.write(build.stderr);
      throw new Error(`the build of the copy failed (exit ${build.status})`);
    }
  }

  // What pnpm installed, not what was asked for: a resolution surprise would make the run meaningless.
  let mismatches = 0;
  console.log("\nLowest peer versions installed:");
  for (const pin of pins) {
    const manifest = join(work, pin.dir, "node_modules", pin.devName, "package.json");
    const installed = existsSync(manifest) ? readJson(manifest).version : "(missing)";
    if (installed !== pin.version) mismatches++;
    const as = pin.devName === pin.peer ? "" : ` (as ${pin.devName})`;
    console.log(
      `  ${pin.name.padEnd(26)} ${`${pin.peer}@${installed}`.padEnd(30)} peer ${pin.peerRange}${as}${installed === pin.version ? "" : `  EXPECTED ${pin.version}`}`,
    );
  }
  for (const dir of new Set(pins.map((p) => p.dir))) {
    for (const harness of Object.keys(HARNESS_FOR_LOWEST)) {
      const manifest = join(work, dir, "node_modules", harness, "package.json");
      if (existsSync(manifest))
        console.log(`  ${basename(dir).padEnd(26)} ${harness}@${readJson(manifest).version} (test harness for the lowest peers)`);
    }
  }
  console.log("");
  if (mismatches > 0) throw new Error(`${mismatches} peer version(s) did not install as pinned`);

  log(`vitest run --project ${projects.join(" --project ")}`);
  const report = join(work, "vitest-lowest-peers.json");
  const vitest = sh(
    "pnpm",
    [
      "exec",
      "vitest",
      "run",
      ...projects.flatMap((p) => ["--project", p]),
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    { cwd: work, allowFailure: true },
  );
  if (args.report && existsSync(report)) cpSync(report, resolve(args.report));
  log(`done (vitest exit ${vitest.status})`);
  process.exitCode = vitest.status === 0 ? 0 : 1;
} catch (error) {
  console.error(`lowest-peers: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (args.keep) log(`kept ${relative(process.cwd(), work) || work}`);
  else rmSync(work, { recursive: true, force: true });
}
