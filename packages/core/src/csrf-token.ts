/**
 * The CSRF token bytes: a per-session secret, and tokens that carry it masked with fresh random
 * bytes (`mask || mask XOR secret`), so each token differs and a token in a compressed page tells
 * nothing about the secret (the BREACH attack reads a constant secret through compression sizes).
 */
import { decodeBase64url, encodeBase64url } from "./base64url.js";

/** Bytes of the per-session CSRF secret. */
export const CSRF_SECRET_BYTES = 32;
/** Characters of a token: `CSRF_SECRET_BYTES` of mask and as many of masked secret, as base64url. */
export const CSRF_TOKEN_LENGTH = Math.ceil((2 * CSRF_SECRET_BYTES * 4) / 3);

/** Masks drawn per `getRandomValues` call: one call per 64 tokens, as session IDs are drawn. */
const MASKS_PER_REFILL = 64;
const maskPool = new Uint8Array(CSRF_SECRET_BYTES * MASKS_PER_REFILL);
let maskPoolOffset = maskPool.length;

/** Fills `mask` with fresh random bytes; each pooled byte is used once and then overwritten. */
function fillMask(mask: Uint8Array): void {
  if (maskPoolOffset === maskPool.length) {
    crypto.getRandomValues(maskPool);
    maskPoolOffset = 0;
  }
  const end = maskPoolOffset + CSRF_SECRET_BYTES;
  mask.set(maskPool.subarray(maskPoolOffset, end));
  maskPool.fill(0, maskPoolOffset, end);
  maskPoolOffset = end;
}

/** A new random secret, as the base64url text kept in the session's data. */
export function newCsrfSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CSRF_SECRET_BYTES));
  const text = encodeBase64url(bytes);
  bytes.fill(0);
  return text;
}

/** The secret's bytes, or `null` when the stored text is not a secret this module made. */
export function csrfSecretBytes(stored: unknown): Uint8Array | null {
  if (typeof stored !== "string") return null;
  const bytes = decodeBase64url(stored);
  return bytes !== null && bytes.length === CSRF_SECRET_BYTES ? bytes : null;
}

/** A token for `secret`, masked with new random bytes: every call gives another token. */
export function maskCsrfSecret(secret: Uint8Array): string {
  const token = new Uint8Array(2 * CSRF_SECRET_BYTES);
  const mask = token.subarray(0, CSRF_SECRET_BYTES);
  fillMask(mask);
  for (let i = 0; i < CSRF_SECRET_BYTES; i++) token[CSRF_SECRET_BYTES + i] = (mask[i] as number) ^ (secret[i] as number);
  const text = encodeBase64url(token);
  token.fill(0);
  return text;
}

/**
 * Whether `token` unmasks to `secret`. The bytes are compared without an early exit, so the time
 * taken does not tell how many leading bytes of a guess were right.
 */
export function csrfTokenMatches(secret: Uint8Array, token: string): boolean {
  if (token.length !== CSRF_TOKEN_LENGTH) return false;
  const bytes = decodeBase64url(token);
  if (bytes === null || bytes.length !== 2 * CSRF_SECRET_BYTES) return false;
  let difference = 0;
  for (let i = 0; i < CSRF_SECRET_BYTES; i++) {
    difference |= (bytes[i] as number) ^ (bytes[CSRF_SECRET_BYTES + i] as number) ^ (secret[i] as number);
  }
  bytes.fill(0);
  return difference === 0;
}
