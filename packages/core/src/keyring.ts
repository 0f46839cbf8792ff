/**
 * Signing keys derived from the configured secrets, and the signed token format.
 *
 * Token: `<kid>.<id>.<mac>` where
 * - `kid` (8 chars) is a fingerprint of the secret that signed it, so verification picks the key
 *   directly and reordering or removing secrets never breaks other keys' cookies;
 * - `id` is the session ID (base64url);
 * - `mac` is HMAC-SHA256(signing key, `<kid>.<id>`), base64url (43 chars).
 *
 * HMAC runs synchronously on `@noble/hashes`, with the keyed state computed once per secret,
 * because Web Crypto's `subtle.sign` goes through Node's thread pool on every call. A returning
 * cookie usually skips even that: the MACs of recently verified tokens are remembered (see
 * {@link VERIFIED_CACHE_SIZE}).
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
 * first), because in a server the HMAC of each request's cookie is the largest single part of
 * reading a session (its code and tables fall out of the CPU caches between requests); a
 * remembered token is checked with one lookup and a constant-time comparison of the MAC instead.
 * Only tokens that verified are remembered, so junk cookies cannot fill it, and the secrets never
 * change, so a remembered MAC stays right.
 */
export const VERIFIED_CACHE_SIZE = 10_000;

const utf8 = new TextEncoder();

type KeyedHmac = ReturnType<typeof hmac.create>;

interface SigningKey {
  readonly kid: string;
  readonly role: SecretRole;
  /** HMAC state after absorbing the key; cloned for every message, never updated itself. */
  readonly keyed: KeyedHmac;
}

/** The result of verifying a token. */
export interface VerifiedToken {
  readonly id: string;
  /** Key id of the secret that signed the token. */
  readonly kid: string;
  /**
   * True when a `previous` secret signed the token: it should be re-issued signed with the current
   * one. False for the current secret and for a `next` one (re-signing a `next` cookie with an older
   * current secret would undo the rotation on processes that already promoted it).
   */
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
 * The `secrets` option with explicit roles, for rotating a secret across several processes
 * without logging anyone out (see "Rotating secrets" in the README).
 */
export interface SecretRotation {
  /** Signs every new or re-issued cookie. */
  current: string;
  /**
   * Retired secrets: their cookies are still accepted and re-issued signed with `current`.
   * @default []
   */
  previous?: string | readonly string[];
  /**
   * Verify-only secrets about to become current: their cookies are accepted as they are, never
   * re-issued (so a process not yet promoted does not sign them back), and nothing is signed with them.
   * @default []
   */
  next?: string | readonly string[];
}

/** Every shape the `secrets` option accepts. */
export type SecretsOption = string | readonly string[] | SecretRotation;

/** The secrets after validation, by role. */
export interface SecretSet {
  readonly current: string;
  readonly previous: readonly string[];
  readonly next: readonly string[];
}

/** What the keyring does with a cookie signed by a secret of each role. */
export type SecretRole = "current" | "previous" | "next";

const ROTATION_KEYS = new Set(["current", "previous", "next"]);

/**
 * Checks the `secrets` option and returns it by role. A plain list is `[current, ...previous]`.
 * Throws `INVALID_CONFIG` with a message that says how to fix the mistake.
 */
export function normalizeSecrets(secrets: unknown): SecretSet {
  if (typeof secrets === "object" && secrets !== null && !Array.isArray(secrets)) return normalizeRotation(secrets);
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw configError(
      "`secrets` is required: pass [currentSecret, ...olderSecrets] or { current, previous, next }, each at least 32 characters (for example 32 random bytes as hex or base64).",
    );
  }
  const named = list.map((secret, index) => ({ label: `secrets[${index}]`, secret }));
  checkSecrets(named);
  return { current: list[0] as string, previous: list.slice(1) as string[], next: [] };
}

function normalizeRotation(rotation: object): SecretSet {
  for (const key of Object.keys(rotation)) {
    if (!ROTATION_KEYS.has(key)) {
      throw configError(`\`secrets\` has an unknown key \`${key}\`; use \`current\`, \`previous\` and \`next\`.`);
    }
  }
  const { current, previous, next } = rotation as Record<string, unknown>;
  if (current === undefined) {
    throw configError("`secrets.current` is required: the secret that signs new cookies.");
  }
  const previousList = optionalList("previous", previous);
  const nextList = optionalList("next", next);
  checkSecrets([
    { label: "secrets.current", secret: current },
    ...previousList.map((secret, index) => ({ label: listLabel("previous", previous, index), secret })),
    ...nextList.map((secret, index) => ({ label: listLabel("next", next, index), secret })),
  ]);
  return { current: current as string, previous: previousList as string[], next: nextList as string[] };
}

function optionalList(role: "previous" | "next", value: unknown): unknown[] {
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value;
  throw configError(`\`secrets.${role}\` must be a string or an array of strings, got ${typeof value}.`);
}

function listLabel(role: "previous" | "next", value: unknown, index: number): string {
  return Array.isArray(value) ? `secrets.${role}[${index}]` : `secrets.${role}`;
}

/** Each secret: a string, long enough, and listed once across all roles. */
function checkSecrets(named: ReadonlyArray<{ label: string; secret: unknown }>): void {
  const seen = new Map<string, string>();
  for (const { label, secret } of named) {
    if (typeof secret !== "string") {
      throw configError(`\`${label}\` must be a string, got ${typeof secret}.`);
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw configError(
        `\`${label}\` is ${secret.length} characters; each secret must be at least ${MIN_SECRET_LENGTH} characters. Generate one with \`openssl rand -base64 32\`.`,
      );
    }
    const earlier = seen.get(secret);
    if (earlier !== undefined) {
      throw configError(`\`${label}\` repeats \`${earlier}\`; list each secret once, in one role.`);
    }
    seen.set(secret, label);
  }
}

/** Every secret of a set with its role, current first. */
export function secretsByRole(set: SecretSet): Array<{ secret: string; role: SecretRole }> {
  return [
    { secret: set.current, role: "current" },
    ...set.previous.map((secret) => ({ secret, role: "previous" as const })),
    ...set.next.map((secret) => ({ secret, role: "next" as const })),
  ];
}

/** Signs and verifies session tokens with the secrets of the `secrets` option (validated again here). */
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

  constructor(secrets: SecretsOption) {
    const keys = secretsByRole(normalizeSecrets(secrets)).map(
      ({ secret, role }): SigningKey => ({ kid: keyIdOf(secret), role, keyed: hmac.create(sha256, deriveKey(secret, "sign")) }),
    );
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
      return constantTimeEqual(remembered, mac) ? { id, kid, signedByOlderKey: key.role === "previous" } : null;
    }
    if (!isIdShape(id)) return null;
    const expected = this.#mac(key, signed);
    if (!constantTimeEqual(expected, mac)) return null;
    this.#remember(signed, expected);
    return { id, kid, signedByOlderKey: key.role === "previous" };
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
