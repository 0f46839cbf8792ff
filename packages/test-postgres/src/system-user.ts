/**
 * `initdb` and `postgres` refuse to run as root. When this process is root, they run as the
 * `postgres` system account (Debian's package creates it) and their directory is handed to it.
 */
import { readFileSync } from "node:fs";
import { chown } from "node:fs/promises";

/** The uid/gid to run the server as, or `undefined` to run as the current user. */
export interface ServerAccount {
  uid: number;
  gid: number;
}

function lookupAccount(name: string): ServerAccount | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The account the server processes run as: `undefined` (this user) unless this process is root,
 * then `accountName`'s. Throws when root and that account does not exist.
 */
export function serverAccount(accountName: string): ServerAccount | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const account = lookupAccount(accountName);
  if (account === undefined) {
    throw new Error(
      `[test-postgres] running as root, and PostgreSQL refuses to run as root, but there is no "${accountName}" account to run it as. ` +
        "Install Debian's postgresql package (it creates the account) or run as an unprivileged user.",
    );
  }
  return account;
}

/** Hands `dir` to the server account (no-op when running as the current user). */
export async function handOver(dir: string, account: ServerAccount | undefined): Promise<void> {
  if (account !== undefined) await chown(dir, account.uid, account.gid);
}
