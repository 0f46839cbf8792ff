/**
 * Token formats: how a session ID travels in the cookie (or header). Tessera's own format,
 * `<kid>.<id>.<mac>` (see `keyring.ts`), is always read. Other formats let an adapter read — and,
 * during a side-by-side migration, write — the cookie of the library it replaces, so nobody is
 * logged out at the switch, without the core knowing that library.
 */
import { configError } from "./errors.js";
import type { Keyring, VerifiedToken } from "./keyring.js";

/** What a {@link TokenFormat} found in a token that verified. */
export interface ForeignToken {
  /** The session ID. Must be 22–128 base64url characters, or the token is rejected. */
  readonly id: string;
  /**
   * `true` asks for the token to be re-issued in the write format on this response, e.g. because
   * an older secret signed it.
   * @default false
   */
  readonly stale?: boolean;
}

/**
 * Another library's session token, for `tokenFormats` and `writeTokenFormat`. Tokens are handled
 * exactly as they travel: `verify` receives the cookie value as the request sent it (still
 * percent-encoded, if that format encodes) and `sign` returns it as it goes into `Set-Cookie`.
 */
export interface TokenFormat {
  /**
   * Identifies the format in events (`re-signed`'s `fromKid`/`toKid`): two formats with one name
   * are the same format. `"tessera"` is reserved for Tessera's own.
   */
  readonly name: string;
  /**
   * The session ID the token carries, or `null` when it is not in this format, is malformed, or its
   * signature does not verify. It checks the signature itself, in constant time, and never throws.
   */
  verify(token: string): ForeignToken | null;
  /** The token for `id`, signed. Required of a `writeTokenFormat`. */
  sign?(id: string): string;
}

/** The name of Tessera's own format. */
export const TESSERA_FORMAT_NAME = "tessera";

/**
 * The shape of every ID Tessera did not generate itself (from a foreign token, or a custom
 * `generateId`) before it reaches a store key: 22–128 base64url characters (express-session's are 32).
 */
export const CUSTOM_ID_SHAPE = /^[A-Za-z0-9_-]{22,128}$/;

/** Checks one entry of `tokenFormats` (or `writeTokenFormat` when `forWriting`). Throws `INVALID_CONFIG`. */
export function assertTokenFormat(label: string, value: unknown, forWriting: boolean): asserts value is TokenFormat {
  const format = value as Partial<TokenFormat> | null;
  if (typeof format !== "object" || format === null || typeof format.verify !== "function") {
    throw configError(`\`${label}\` must be a token format: an object with \`name\` and \`verify(token)\`.`);
  }
  if (typeof format.name !== "string" || format.name.length === 0) {
    throw configError(`\`${label}\` needs a non-empty \`name\`.`);
  }
  if (format.name === TESSERA_FORMAT_NAME) {
    throw configError(`\`${label}\` is named "${TESSERA_FORMAT_NAME}", which is Tessera's own format (always accepted); rename it.`);
  }
  if (forWriting && typeof format.sign !== "function") {
    throw configError(`\`${label}\` (${format.name}) cannot write tokens: it has no \`sign(id)\`.`);
  }
}

/**
 * Reads tokens in every accepted format and writes them in the write format. A token is re-issued
 * (its `signedByOlderKey`) when its format says it is stale, or when it is in a foreign format the
 * manager does not write: that is the migration. A Tessera token read by a manager that writes a
 * foreign format is re-issued only when an older secret signed it, never for its format alone, so
 * processes that already write Tessera's format and processes that still write the old one do not
 * undo each other's cookies during a rollout.
 */
export class TokenCodec {
  readonly #keyring: Keyring;
  readonly #isIdShape: (id: string) => boolean;
  readonly #foreign: readonly TokenFormat[];
  readonly #write: TokenFormat | undefined;

  /**
   * `formats` are the foreign formats read (the write format among them); `write` is `undefined`
   * for Tessera's own. `isIdShape` is the check of IDs in Tessera tokens.
   */
  constructor(keyring: Keyring, isIdShape: (id: string) => boolean, formats: readonly TokenFormat[], write: TokenFormat | undefined) {
    this.#keyring = keyring;
    this.#isIdShape = isIdShape;
    this.#foreign = formats;
    this.#write = write;
  }

  /** The key id (Tessera's format) or format name (a foreign write format) new tokens carry. */
  get writeKid(): string {
    return this.#write?.name ?? this.#keyring.currentKid;
  }

  /** The token for `id` in the write format. */
  sign(id: string): string {
    return this.#write === undefined ? this.#keyring.sign(id) : (this.#write.sign as NonNullable<TokenFormat["sign"]>)(id);
  }

  /**
   * The ID a token carries, or `null`. For a foreign token, `kid` is its format's name. Never throws
   * for a bad token.
   */
  verify(token: string): VerifiedToken | null {
    const own = this.#keyring.verify(token, this.#isIdShape);
    if (own !== null || this.#foreign.length === 0) return own;
    for (const format of this.#foreign) {
      const found = format.verify(token);
      if (found === null) continue;
      if (typeof found.id !== "string" || !CUSTOM_ID_SHAPE.test(found.id)) return null;
      const migrating = format.name !== this.#write?.name;
      return { id: found.id, kid: format.name, signedByOlderKey: found.stale === true || migrating };
    }
    return null;
  }
}
