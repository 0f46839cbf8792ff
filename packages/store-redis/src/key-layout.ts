/**
 * Redis key names. A session lives at `<prefix>{<id>}` and an owner's index at
 * `<prefix>owner:{<owner>}`. The braces are a Redis Cluster hash tag: every key derived from one
 * session (or one owner) hashes to the same slot, so a script may touch them together.
 */

/** Characters with a meaning in a SCAN MATCH glob pattern. */
const GLOB_SPECIAL = /[*?[\]\\]/g;

/** Escapes `text` so that it matches only itself inside a MATCH pattern. */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIAL, (char) => `\\${char}`);
}

export interface KeyLayout {
  /** The key of the session hash. */
  session(id: string): string;
  /** The key of the owner's index (a sorted set of session IDs). */
  owner(owner: string): string;
  /** The SCAN MATCH pattern of every session hash under this prefix (with the client's own prefix). */
  readonly scanPattern: string;
  /** The session ID of a key SCAN returned, or `undefined` if it is not a session key of ours. */
  idOfScannedKey(key: string): string | undefined;
}

/** Builds the layout for `prefix`. `clientKeyPrefix` is what the client adds by itself (ioredis `keyPrefix`). */
export function keyLayout(prefix: string, clientKeyPrefix: string): KeyLayout {
  const sessionStart = `${prefix}{`;
  const ownerStart = `${prefix}owner:{`;
  const scannedStart = `${clientKeyPrefix}${sessionStart}`;
  return {
    session: (id) => `${sessionStart}${id}}`,
    owner: (owner) => `${ownerStart}${owner}}`,
    scanPattern: `${escapeGlob(scannedStart)}*}`,
    idOfScannedKey(key) {
      if (!key.startsWith(scannedStart) || !key.endsWith("}") || key.length < scannedStart.length + 2) return undefined;
      const id = key.slice(scannedStart.length, -1);
      return id.includes("{") || id.includes("}") ? undefined : id;
    },
  };
}
