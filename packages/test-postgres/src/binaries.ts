/**
 * Finds the directory holding the PostgreSQL server binaries (`initdb`, `postgres`, `psql`).
 * Debian installs them outside PATH, in `/usr/lib/postgresql/<major>/bin`.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

const DEBIAN_ROOT = "/usr/lib/postgresql";

function hasServerBinaries(dir: string): boolean {
  return existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"));
}

function pgConfigBinDir(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("pg_config", ["--bindir"], { encoding: "utf8", timeout: 5_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    );
  });
}

/** The newest `/usr/lib/postgresql/<major>/bin` that holds the server binaries. */
function debianBinDir(): string | undefined {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const majors = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return majors.map((major) => join(DEBIAN_ROOT, major, "bin")).find(hasServerBinaries);
}

/** The directory `initdb` really lives in, so that `psql` next to it is found behind a symlink. */
function resolved(dir: string): string {
  return dirname(realpathSync(join(dir, "initdb")));
}

/**
 * The first of: `explicit`, `$POSTGRES_BIN_DIR`, a PATH directory holding `initdb` and `postgres`,
 * `pg_config --bindir`, the newest Debian version directory. Throws with install instructions
 * when none holds the binaries.
 */
export async function findPostgresBinDir(explicit?: string): Promise<string> {
  const configured = explicit ?? process.env.POSTGRES_BIN_DIR;
  if (configured !== undefined) {
    if (hasServerBinaries(configured)) return resolved(configured);
    throw new Error(`[test-postgres] ${configured} does not contain initdb and postgres.`);
  }
  const onPath = (process.env.PATH ?? "").split(delimiter).filter(Boolean).find(hasServerBinaries);
  if (onPath !== undefined) return resolved(onPath);
  const fromPgConfig = await pgConfigBinDir();
  if (fromPgConfig !== undefined && hasServerBinaries(fromPgConfig)) return fromPgConfig;
  const debian = debianBinDir();
  if (debian !== undefined) return debian;
  throw new Error(
    "[test-postgres] PostgreSQL server binaries (initdb, postgres) were not found on PATH, via pg_config, or in /usr/lib/postgresql/*/bin. " +
      "Install PostgreSQL (apt-get install postgresql) or set POSTGRES_BIN_DIR.",
  );
}
