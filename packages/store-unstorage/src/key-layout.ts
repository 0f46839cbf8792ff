/**
 * Where things live in the storage, under the store's prefix:
 *
 * - `<prefix>:s:<id>`: one item per session, the whole record (see `stored-session.ts`);
 * - `<prefix>:o:<owner hash>:<id>`: one marker item per (owner, session) pair, the owner index.
 *
 * Owners are arbitrary strings, so they are never used in keys directly: the SHA-256 of the owner,
 * in lower-case hex, is the same length everywhere, safe as a file name on the `fs` driver (no `..`,
 * no `/`, no case folding issue), free of glob characters on the Redis driver, and keeps user IDs
 * out of key listings. Session IDs are 43 base64url characters and are used as they are.
 */
import { configError } from "@tessera/core/internal";

/** Default prefix. */
export const DEFAULT_PREFIX = "tessera";

/** `:`-separated segments of letters, digits, `_` and `-`: stable under unstorage's key normalisation. */
const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)*$/;

/** Validates a prefix (a `/` is accepted as unstorage's other separator and turned into `:`). */
export function normalizePrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  const normalized = typeof prefix === "string" ? prefix.replaceAll("/", ":") : prefix;
  if (typeof normalized !== "string" || !PREFIX_PATTERN.test(normalized)) {
    throw configError(
      `\`prefix\` must be segments of letters, digits, "_" and "-" separated by ":" (e.g. "tessera" or "app:sessions"), got ${JSON.stringify(prefix)}.`,
      "unstorage",
    );
  }
  return normalized;
}

/** The keys of one store. */
export interface KeyLayout {
  /** Base of every session item (`getKeys` of it lists the sessions). */
  readonly sessionBase: string;
  /** The item of one session. */
  sessionKey(id: string): string;
  /** Base of every owner marker. */
  readonly ownerRoot: string;
  /** Base of one owner's markers. */
  ownerBase(ownerHash: string): string;
  /** The marker of one (owner, session) pair. */
  ownerMarkerKey(ownerHash: string, id: string): string;
}

/** The key layout under `prefix` (already normalised). */
export function keyLayout(prefix: string): KeyLayout {
  const sessionBase = `${prefix}:s`;
  const ownerRoot = `${prefix}:o`;
  return {
    sessionBase,
    sessionKey: (id) => `${sessionBase}:${id}`,
    ownerRoot,
    ownerBase: (ownerHash) => `${ownerRoot}:${ownerHash}`,
    ownerMarkerKey: (ownerHash, id) => `${ownerRoot}:${ownerHash}:${id}`,
  };
}

/** The last `:` segment of a listed key: the session ID of a session item or owner marker. */
export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf(":") + 1);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** SHA-256 of the owner's UTF-8 bytes, as 64 lower-case hex characters (Web Crypto). */
export async function hashOwner(owner: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(owner)));
  let hex = "";
  for (const byte of digest) hex += HEX[byte];
  return hex;
}
