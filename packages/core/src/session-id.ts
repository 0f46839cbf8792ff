/**
 * Session IDs: 32 bytes from the platform's CSPRNG (256 bits), base64url, 43 characters.
 */
import { encodeBase64url, isBase64urlText } from "./base64url.js";

/** Bytes of randomness in a session ID. */
export const SESSION_ID_BYTES = 32;
/** Length of a session ID in characters (32 bytes as unpadded base64url). */
export const SESSION_ID_LENGTH = 43;

/** IDs drawn per `getRandomValues` call: one call per 64 IDs instead of one each. */
const IDS_PER_REFILL = 64;
const pool = new Uint8Array(SESSION_ID_BYTES * IDS_PER_REFILL);
let poolOffset = pool.length;

/** A fresh random session ID. Each pooled byte is used once and then overwritten. */
export function generateSessionId(): string {
  if (poolOffset === pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + SESSION_ID_BYTES);
  poolOffset += SESSION_ID_BYTES;
  const id = encodeBase64url(bytes);
  bytes.fill(0);
  return id;
}

/**
 * True when `value` has the exact shape of an ID this library generates. Checked before any
 * store lookup, so no other string can become part of a store key.
 */
export function isSessionIdShape(value: string): boolean {
  // 43 base64url characters encode 258 bits; a real 32-byte ID leaves the last 2 bits zero,
  // so only "AEIMQUYcgkosw048" can end it.
  return value.length === SESSION_ID_LENGTH && isBase64urlText(value) && "AEIMQUYcgkosw048".includes(value.charAt(SESSION_ID_LENGTH - 1));
}
