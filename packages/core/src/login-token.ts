/**
 * The persistent login token ("remember me" as a token) and its cryptography. A token is
 * `<selector>.<validator>`: the selector is the store key of the token's series (the shape of a
 * session ID), the validator is the secret part, which the store never holds — only its SHA-256.
 * Each use rotates the validator to `HMAC-SHA256(seriesKey, validator)`, so every request that
 * presents the same token computes the same successor (two tabs redeeming at once agree).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase64url, encodeBase64url } from "./base64url.js";
import { generateSessionId, isSessionIdShape, SESSION_ID_BYTES, SESSION_ID_LENGTH } from "./session-id.js";

/** Bytes of randomness in a selector, a validator and a series key (each 43 base64url characters). */
export const LOGIN_TOKEN_PART_BYTES = SESSION_ID_BYTES;
/** Length of a login token in characters: selector, `.`, validator. */
export const LOGIN_TOKEN_LENGTH = SESSION_ID_LENGTH * 2 + 1;

/** A login token split into its parts. */
export interface LoginTokenParts {
  /** The store key of the series (public within the token, never a secret on its own). */
  readonly selector: string;
  /** The secret part; only its hash is stored. */
  readonly validator: string;
}

/** A fresh random value of 32 bytes as 43 base64url characters (selector, validator or series key). */
export function randomLoginTokenPart(): string {
  return generateSessionId();
}

/** The cookie value for a selector and a validator. */
export function formatLoginToken(parts: LoginTokenParts): string {
  return `${parts.selector}.${parts.validator}`;
}

/**
 * Splits a cookie value into selector and validator, or `null` when it does not have the exact shape
 * this module writes (checked before any store lookup, so no other string reaches a store key).
 */
export function parseLoginToken(token: string): LoginTokenParts | null {
  if (typeof token !== "string" || token.length !== LOGIN_TOKEN_LENGTH || token.charAt(SESSION_ID_LENGTH) !== ".") return null;
  const selector = token.slice(0, SESSION_ID_LENGTH);
  const validator = token.slice(SESSION_ID_LENGTH + 1);
  return isSessionIdShape(selector) && isSessionIdShape(validator) ? { selector, validator } : null;
}

/** The stored form of a validator: SHA-256 of its 32 bytes, base64url. */
export function hashValidator(validator: string): string {
  return encodeBase64url(sha256(partBytes(validator)));
}

/** The validator that replaces `validator` when it is used: `HMAC-SHA256(seriesKey, validator)`, base64url. */
export function nextValidator(seriesKey: string, validator: string): string {
  return encodeBase64url(hmac(sha256, partBytes(seriesKey), partBytes(validator)));
}

/**
 * Whether `validator` hashes to `storedHash`, comparing the two digests byte by byte in time that
 * does not depend on where they differ. A stored hash that is not 32 bytes of base64url never matches.
 */
export function validatorMatches(validator: string, storedHash: unknown): boolean {
  if (typeof storedHash !== "string") return false;
  const stored = decodeBase64url(storedHash);
  if (stored === null) return false;
  return bytesEqual(sha256(partBytes(validator)), stored);
}

/** Compares two byte arrays in time that depends only on their lengths (public: both are digests). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Fingerprint of a series for events and logs: never the selector itself. */
export function seriesRef(selector: string): string {
  return encodeBase64url(sha256(new TextEncoder().encode(selector))).slice(0, 12);
}

/** The bytes of a 43-character part; a part this module did not write decodes to whatever it holds. */
function partBytes(part: string): Uint8Array {
  return decodeBase64url(part) ?? new TextEncoder().encode(part);
}
