/**
 * How a session travels in the cookie (or header): a signed session ID whose record lives in the
 * store, or the whole record sealed into the token (the sealed-cookie store). The manager asks the
 * codec instead of checking which store it has.
 */
import { configError } from "./errors.js";
import type { Keyring } from "./keyring.js";
import type { ResolvedOptions } from "./options.js";
import { cookieTooLarge, isSealedCookieStore, Sealer } from "./sealed-cookie-store.js";
import { utf8ByteLength } from "./serialize.js";
import type { SessionRecord, Store } from "./store.js";
import type { TokenCodec } from "./token-format.js";

/** What a genuine token names. */
export interface OpenedToken {
  readonly id: string;
  /** The key id (or foreign format name) that signed or sealed it, for the `re-signed` event. */
  readonly kid: string;
  /** True when it must be re-issued in the current key or format. */
  readonly signedByOlderKey: boolean;
  /** The record, when the token carries it; `undefined` when the record lives in the store. */
  readonly record: SessionRecord | undefined;
}

/** The session's side of a token: what a codec may read to issue one. */
export interface TokenSubject {
  readonly id: string;
  currentRecord(): SessionRecord;
}

export interface SessionTokenCodec {
  /**
   * True when the token carries the whole record and the server keeps none: every write must
   * re-issue it, and there is nothing on the server to revoke or re-read.
   */
  readonly carriesRecord: boolean;
  /** The key id (or format name) new tokens carry. */
  readonly writeKid: string;
  /**
   * The session a token names, or `null` when it is malformed, tampered or signed by an unknown
   * key. Signed IDs answer synchronously, so the read path awaits nothing extra. Never throws.
   */
  open(token: string): OpenedToken | null | Promise<OpenedToken | null>;
  /** The token for `subject` in the current key and format. */
  issue(subject: TokenSubject): string | Promise<string>;
  /** Throws `PAYLOAD_TOO_LARGE` when a `Set-Cookie` line is too long for this codec. */
  assertCookieFits(line: string): void;
}

/** A signed session ID (Tessera's format, or a foreign one during a migration). */
export function signedIdCodec(tokens: TokenCodec): SessionTokenCodec {
  return {
    carriesRecord: false,
    get writeKid() {
      return tokens.writeKid;
    },
    open(token) {
      const verified = tokens.verify(token);
      return verified === null
        ? null
        : { id: verified.id, kid: verified.kid, signedByOlderKey: verified.signedByOlderKey, record: undefined };
    },
    issue: (subject) => tokens.sign(subject.id),
    assertCookieFits() {},
  };
}

/** The whole record, sealed (AES-GCM) into the token. */
export function sealedRecordCodec(
  sealer: Sealer,
  maxCookieBytes: number,
  writeKid: string,
  isIdShape: (id: string) => boolean,
): SessionTokenCodec {
  return {
    carriesRecord: true,
    writeKid,
    async open(token) {
      const opened = await sealer.open(token);
      if (opened === null || !isIdShape(opened.id)) return null;
      return { id: opened.id, kid: opened.kid, signedByOlderKey: opened.sealedByOlderKey, record: opened.record };
    },
    issue: (subject) => sealer.seal(subject.id, subject.currentRecord()),
    assertCookieFits(line) {
      const bytes = utf8ByteLength(line);
      if (bytes > maxCookieBytes) throw cookieTooLarge(bytes, maxCookieBytes);
    },
  };
}

/** The codec `store` calls for: sealed records for the sealed-cookie store, signed IDs otherwise. */
export function sessionTokenCodecFor(
  store: Store,
  resolved: ResolvedOptions,
  keyring: Keyring,
  tokens: TokenCodec,
  isIdShape: (id: string) => boolean,
): SessionTokenCodec {
  if (!isSealedCookieStore(store)) return signedIdCodec(tokens);
  if (resolved.tokenFormats.length > 0) {
    throw configError(
      "`tokenFormats` and `writeTokenFormat` need a server-side store: a foreign token carries only a session ID, and the sealed-cookie store keeps no records.",
      store.name,
    );
  }
  const sealer = new Sealer(resolved.secrets, resolved.cookie.name, store.maxCookieBytes);
  return sealedRecordCodec(sealer, store.maxCookieBytes, keyring.currentKid, isIdShape);
}
