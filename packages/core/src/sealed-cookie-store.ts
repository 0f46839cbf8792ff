/**
 * The sealed-cookie store: stateless sessions. The whole record travels in the cookie, encrypted
 * and authenticated with AES-256-GCM (Web Crypto) under a key derived once from each secret.
 * Nothing is stored on the server.
 *
 * Cookie value: `<kid>.<iv>.<ciphertext>` (base64url). `kid` picks the key, as for signed cookies,
 * so a cookie sealed with a `previous` secret is opened and re-sealed with the current one. The
 * additional authenticated data binds the seal to the cookie name and key id.
 *
 * What a stateless session cannot do: revoke a session on the server (a copied cookie stays valid
 * until it expires — keep `idleTimeoutSeconds` short), list or revoke an owner's sessions, or hold
 * more than a cookie can carry (about 4 KB, checked before the cookie is set).
 */
import { decodeBase64url, encodeBase64url } from "./base64url.js";
import { configError, formatMessage, SessionError } from "./errors.js";
import { deriveKey, KID_LENGTH, keyIdOf, normalizeSecrets, type SecretRole, type SecretsOption, secretsByRole } from "./keyring.js";
import type { SessionRecord, Store, StoreCapabilities } from "./store.js";

/** Options of {@link sealedCookieStore}. */
export interface SealedCookieStoreOptions {
  /**
   * Largest `Set-Cookie` line accepted, in bytes (name, sealed value and attributes). Default
   * 4096, the size every browser is required to accept. A larger session fails with
   * `PAYLOAD_TOO_LARGE` before the cookie is set.
   * @default 4096
   */
  maxCookieBytes?: number;
}

/** A store whose records live in the cookie. Pass it as the manager's `store`. */
export interface SealedCookieStore extends Store {
  readonly kind: "sealed-cookie";
  readonly maxCookieBytes: number;
}

const NAME = "sealed-cookie";
const IV_BYTES = 12;

const CAPABILITIES: StoreCapabilities = Object.freeze({
  patch: true,
  touch: true,
  ownerIndex: false,
  nativeTtl: true,
  atomicConditionalWrites: true,
  inProcess: true,
});

/**
 * Creates the sealed-cookie store. Its store methods do nothing (there is no server state); the
 * manager seals the record into the cookie at every write instead.
 */
export function sealedCookieStore(options: SealedCookieStoreOptions = {}): SealedCookieStore {
  const maxCookieBytes = options.maxCookieBytes ?? 4096;
  if (!Number.isInteger(maxCookieBytes) || maxCookieBytes < 256) {
    throw configError("`maxCookieBytes` must be an integer of at least 256.", NAME);
  }
  return {
    kind: "sealed-cookie",
    name: NAME,
    capabilities: CAPABILITIES,
    maxCookieBytes,
    get: async () => null,
    create: async () => true,
    replace: async () => true,
    patch: async () => true,
    touch: async () => true,
    // The record travels in the cookie, so the server cannot know it is gone: a move keeps its data.
    destroy: async () => true,
  };
}

/** True for a store made by {@link sealedCookieStore}. */
export function isSealedCookieStore(store: Store): store is SealedCookieStore {
  return (store as Partial<SealedCookieStore>).kind === "sealed-cookie";
}

/** What an opened seal holds. */
export interface OpenedSeal {
  readonly id: string;
  readonly record: SessionRecord;
  readonly kid: string;
  /** True when a `previous` secret sealed it (re-seal it); false for the current and `next` ones. */
  readonly sealedByOlderKey: boolean;
}

interface SealingKey {
  readonly kid: string;
  readonly role: SecretRole;
  readonly raw: Uint8Array;
  imported?: Promise<unknown>;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Seals and opens records with the secrets of the `secrets` option (validated again here). */
export class Sealer {
  readonly #current: SealingKey;
  readonly #byKid = new Map<string, SealingKey>();
  readonly #cookieName: string;
  /** Longest value a cookie line within the store's limit can carry (`<name>=` comes first). */
  readonly #maxTokenChars: number;

  /**
   * `maxCookieBytes` is the store's limit: a longer value cannot be one this store set, so
   * {@link open} rejects it before decoding or decrypting anything. Default: no limit.
   */
  constructor(secrets: SecretsOption, cookieName: string, maxCookieBytes = Number.POSITIVE_INFINITY) {
    const keys = secretsByRole(normalizeSecrets(secrets)).map(
      ({ secret, role }): SealingKey => ({ kid: keyIdOf(secret), role, raw: deriveKey(secret, "seal") }),
    );
    for (const key of keys) this.#byKid.set(key.kid, key);
    this.#current = keys[0] as SealingKey;
    this.#cookieName = cookieName;
    this.#maxTokenChars = maxCookieBytes - cookieName.length - 1;
  }

  /** The imported AES key, prepared once per secret on first use. */
  #key(key: SealingKey): Promise<unknown> {
    key.imported ??= crypto.subtle.importKey("raw", key.raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    return key.imported;
  }

  #additionalData(kid: string): Uint8Array {
    return utf8.encode(`tessera/sealed/v1|${this.#cookieName}|${kid}`);
  }

  /** Seals `record` (and the session ID) with the current secret. */
  async seal(id: string, record: SessionRecord): Promise<string> {
    const payload: Record<string, unknown> = {
      i: id,
      d: record.data,
      c: record.createdAt,
      l: record.lastSeenAt,
      e: record.expiresAt,
    };
    if (record.owner !== undefined) payload.o = record.owner;
    if (record.rememberMeSeconds !== undefined) payload.r = record.rememberMeSeconds;
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const key = this.#current;
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: this.#additionalData(key.kid) },
      await this.#key(key),
      utf8.encode(JSON.stringify(payload)),
    );
    return `${key.kid}.${encodeBase64url(iv)}.${encodeBase64url(new Uint8Array(sealed))}`;
  }

  /** Opens a sealed value; `null` (never an exception) for anything malformed, tampered or unknown. */
  async open(token: string): Promise<OpenedSeal | null> {
    if (token.length > this.#maxTokenChars) return null;
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [kid, ivText, sealedText] = parts as [string, string, string];
    const key = kid.length === KID_LENGTH ? this.#byKid.get(kid) : undefined;
    const iv = decodeBase64url(ivText);
    const sealed = decodeBase64url(sealedText);
    if (key === undefined || iv === null || iv.length !== IV_BYTES || sealed === null || sealed.length < 16) return null;
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: this.#additionalData(kid) }, await this.#key(key), sealed);
    } catch {
      return null; // authentication failed: tampered, or sealed for another cookie name
    }
    const record = parsePayload(plain);
    if (record === null) return null;
    return { id: record.id, record: record.record, kid, sealedByOlderKey: key.role === "previous" };
  }
}

function parsePayload(plain: ArrayBuffer): { id: string; record: SessionRecord } | null {
  let payload: unknown;
  try {
    payload = JSON.parse(fromUtf8.decode(new Uint8Array(plain)));
  } catch {
    return null;
  }
  if (typeof payload !== "object" || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.i !== "string" || typeof p.d !== "object" || p.d === null || Array.isArray(p.d)) return null;
  if (!Number.isFinite(p.c) || !Number.isFinite(p.l) || !Number.isFinite(p.e)) return null;
  const record: SessionRecord = {
    data: p.d as Record<string, unknown>,
    createdAt: p.c as number,
    lastSeenAt: p.l as number,
    expiresAt: p.e as number,
  };
  if (typeof p.o === "string") record.owner = p.o;
  if (typeof p.r === "number") record.rememberMeSeconds = p.r;
  return { id: p.i, record };
}

/** The error for a session that no longer fits in a cookie. */
export function cookieTooLarge(bytes: number, limit: number): SessionError {
  return new SessionError(
    "PAYLOAD_TOO_LARGE",
    formatMessage(
      NAME,
      `the sealed session cookie would be ${bytes} bytes, over the ${limit}-byte limit (maxCookieBytes); nothing was sent. Store less in the session, or use a server-side store.`,
    ),
  );
}
