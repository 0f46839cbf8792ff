/**
 * Signing keys derived from the configured secrets, and the signed token format.
 *
 * Token: `<kid>.<id>.<mac>` where
 * - `kid` (8 chars) is a fingerprint of the secret that signed it, so verification picks the key
 *   directly and reordering or removing secrets never breaks other keys' cookies;
 * - `id` is the session ID (base64url);
 * - `mac` is HMAC-SHA256(signing key, `<kid>.<id>`), base64url (43 chars).
 *
 * HMAC runs on `@noble/hashes` with the keyed state computed once per secret: about 3 µs per
 * call, synchronously, on every runtime (Web Crypto's `subtle.sign` costs 20–50 µs in Node 20
 * because each call goes through the thread pool). A returning cookie usually skips even that: the
 * MACs of recently verified tokens are remembered (see {@link VERIFIED_CACHE_SIZE}).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase64url } from "./base64url.js";
import { BoundedCache } from "./bounded-cache.js";
import { configError } from "./errors.js";

/** Minimum length of each secret, in characters. */
export const MIN_SECRET_LENGTH = 32;
/** Length of a key id in characters. */
export const KID_LENGTH = 8;
/** Length of a base64url HMAC-SHA256 tag in characters. */
const MAC_LENGTH = 43;
/**
 * How many verified `<kid>.<id>` prefixes the keyring remembers with their MAC (oldest forgotten
 * first; about 170 bytes each). In a server, the HMAC of each request's cookie cost 10–15 µs
 * (its code and tables fall out of the CPU caches between requests), the largest single part of
 * reading a session; a remembered token is checked with one lookup and a constant-time comparison
 * of the MAC instead. Only tokens that verified are remembered, so junk cookies cannot fill it;
 * the keyring's secrets never change, so a remembered MAC stays right.
 */
export const VERIFIED_CACHE_SIZE = 10_000;

const utf8 = new TextEncoder();

type KeyedHmac = ReturnType<typeof hmac.create>;

interface SigningKey {
  readonly kid: string;
  /** HMAC state after absorbing the key; cloned for every message, never updated itself. */
  readonly keyed: KeyedHmac;
}

/** The result of verifying a token. */
export interface VerifiedToken {
  readonly id: string;
  /** Key id of the secret that signed the token. */
  readonly kid: string;
  /** True when an older secret (not the current one) signed the token: it should be re-issued. */
  readonly signedByOlderKey: boolean;
}

/** Derives a named sub-key from a secret, so signing and other uses never share key material. */
export function deriveKey(secret: string, label: string): Uint8Array {
  return hmac(sha256, utf8.encode(secret), utf8.encode(`tessera/${label}/v1`));
}

/** The key id of a secret: a short, stable fingerprint that reveals nothing usable. */
export function keyIdOf(secret: string): string {
  return encodeBase64url(sha256(utf8.encode(`tessera/kid/v1\u0000${secret}`))).slice(0, KID_LENGTH);
}

/**
 * Checks the `secrets` option and returns it as an array, current first.
 * Throws `INVALID_CONFIG` with a message that says how to fix the mistake.
 */
export function normalizeSecrets(secrets: unknown): string[] {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw configError(
      "`secrets` is required: pass [currentSecret, ...olderSecrets], each at least 32 characters (for example 32 random bytes as hex or base64).",
    );
  }
  const seen = new Set<string>();
  list.forEach((secret, index) => {
    if (typeof secret !== "string") {
      throw configError(`\`secrets[${index}]\` must be a string, got ${typeof secret}.`);
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw configError(
        `\`secrets[${index}]\` is ${secret.length} characters; each secret must be at least ${MIN_SECRET_LENGTH} characters. Generate one with \`openssl rand -base64 32\`.`,
      );
    }
    if (seen.has(secret)) {
      throw configError(`\`secrets[${index}]\` repeats an earlier secret; list each secret once.`);
    }
    seen.add(secret);
  });
  return list as string[];
}

/** Signs and verifies session tokens with `[current, ...older]` secrets. */
export class Keyring {
  readonly #current: SigningKey;
  readonly #byKid = new Map<string, SigningKey>();
  /** Scratch HMAC state reused by every call; safe because signing is synchronous. */
  readonly #scratch: KeyedHmac;
  readonly #tag = new Uint8Array(32);
  /** Message buffer: `<kid>.<id>` is ASCII (base64url and "."), so it is copied byte by byte. */
  #message = new Uint8Array(64);
  /** `<kid>.<id>` → its MAC, for tokens that verified. Insertion order is age. */
  readonly #verified = new BoundedCache<string, string>(VERIFIED_CACHE_SIZE);

  constructor(secrets: readonly string[]) {
    const keys = secrets.map((secret): SigningKey => {
      const kid = keyIdOf(secret);
      return { kid, keyed: hmac.create(sha256, deriveKey(secret, "sign")) };
    });
    for (const key of keys) {
      if (this.#byKid.has(key.kid)) {
        throw configError("two secrets share a key id; replace one of them with a new random secret.");
      }
      this.#byKid.set(key.kid, key);
    }
    this.#current = keys[0] as SigningKey;
    this.#scratch = hmac.create(sha256, new Uint8Array(32));
  }

  /** Key id of the current secret. */
  get currentKid(): string {
    return this.#current.kid;
  }

  /** The token for `id`, signed with the current secret. */
  sign(id: string): string {
    const kid = this.#current.kid;
    return `${kid}.${id}.${this.#mac(this.#current, `${kid}.${id}`)}`;
  }

  /**
   * Verifies a token and returns its ID, or `null` for anything malformed, signed by an unknown key
   * or tampered with. Never throws. `isIdShape` is checked before any MAC work; pass the same
   * check on every call (a remembered token is not checked again).
   */
  verify(token: string, isIdShape: (id: string) => boolean): VerifiedToken | null {
    const firstDot = token.indexOf(".");
    const lastDot = token.lastIndexOf(".");
    if (firstDot !== KID_LENGTH || lastDot === firstDot || token.length - lastDot - 1 !== MAC_LENGTH) {
      return null;
    }
    const kid = token.slice(0, firstDot);
    const key = this.#byKid.get(kid);
    if (key === undefined) return null;
    const id = token.slice(firstDot + 1, lastDot);
    const signed = token.slice(0, lastDot);
    const mac = token.slice(lastDot + 1);
    const remembered = this.#verified.get(signed);
    if (remembered !== undefined) {
      // The same `<kid>.<id>` verified before, so its ID passed `isIdShape` then (one keyring is
      // always called with the same check); the MAC gets the same comparison as below.
      return constantTimeEqual(remembered, mac) ? { id, kid, signedByOlderKey: key !== this.#current } : null;
    }
    if (!isIdShape(id)) return null;
    const expected = this.#mac(key, signed);
    if (!constantTimeEqual(expected, mac)) return null;
    this.#remember(signed, expected);
    return { id, kid, signedByOlderKey: key !== this.#current };
  }

  #remember(signed: string, mac: string): void {
    // A copy: the slice would keep the whole Cookie header it came from alive.
    this.#verified.set(copyAscii(signed), mac);
  }

  /** HMAC of an ASCII `message` (callers pass only base64url and "."), base64url. */
  #mac(key: SigningKey, message: string): string {
    const state = this.#scratch;
    key.keyed._cloneInto(state);
    if (message.length > this.#message.length) this.#message = new Uint8Array(message.length);
    const bytes = this.#message;
    for (let i = 0; i < message.length; i++) bytes[i] = message.charCodeAt(i);
    state.update(bytes.subarray(0, message.length));
    state.digestInto(this.#tag);
    return encodeBase64url(this.#tag);
  }
}

/** A flat copy of an ASCII string (not a slice or rope that references other strings). */
function copyAscii(text: string): string {
  const codes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

/**
 * Compares two strings in time that depends only on their length (which is public: every MAC has
 * the same length), never on where they differ.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
