/**
 * Login-token series in the app's own store, through the ordinary store port: a series is a
 * {@link SessionRecord} under its selector, with `owner` set (so revoking an owner's sessions
 * removes their tokens too), `expiresAt` the token's expiry (the store's native TTL), and `data`
 * holding the marker key plus the hashes — never a validator. This module decides; the manager
 * turns its verdicts into sessions, cookies and events.
 *
 * Redemption compares the presented validator with the current hash (rotate), then with the
 * previous hash within the grace window (a concurrent request with the same token: it gets the
 * same successor, without another rotation). Anything else means two parties held copies of the
 * token and one already used it: theft is suspected, and the series and the owner's sessions go.
 */
import { formatMessage, SessionError } from "./errors.js";
import { formatLoginToken, hashValidator, nextValidator, parseLoginToken, randomLoginTokenPart, validatorMatches } from "./login-token.js";
import type { SessionRecord, Store } from "./store.js";

/** Data key that marks a record as a login-token series (no session record ever holds it). */
export const LOGIN_TOKEN_MARKER = "~login-token";

/** How many fresh selectors `issue` tries before giving up (a collision means a broken random source). */
const MAX_ISSUE_ATTEMPTS = 3;

/** The series fields in a record's `data`. */
interface SeriesData {
  readonly [LOGIN_TOKEN_MARKER]: 1;
  /** SHA-256 of the current validator, base64url. */
  readonly validatorHash: string;
  /** SHA-256 of the validator the last rotation replaced, or absent before the first rotation. */
  readonly previousValidatorHash?: string;
  /** Epoch ms of the last rotation, or absent before the first. */
  readonly rotatedAt?: number;
  /** Per-series HMAC key that derives each validator from the one before. */
  readonly seriesKey: string;
}

/** Runs one store operation (the manager passes its timeout and error-reporting wrapper). */
export type StoreRunner = <T>(operation: string, run: (store: Store) => Promise<T>) => Promise<T>;

/** Settings of {@link LoginTokenSeries}. */
export interface LoginTokenSeriesOptions {
  /** Lifetime of a series from its issue, in seconds; rotation does not extend it. */
  readonly lifetimeSeconds: number;
  /** How long after a rotation the replaced validator is still accepted, in seconds. */
  readonly graceSeconds: number;
  /** The clock, in epoch ms. */
  readonly now: () => number;
  /** Wraps each store call. Default: calls the store directly. */
  readonly run?: StoreRunner;
}

/** A token that was just issued or rotated: what the cookie must carry. */
export interface IssuedLoginToken {
  /** The cookie value. A secret: it goes into `Set-Cookie` and nowhere else. */
  readonly token: string;
  /** The series' store key. */
  readonly selector: string;
  /** Epoch ms when the series expires. */
  readonly expiresAt: number;
  /** Whole seconds left until `expiresAt`, for the cookie's `Max-Age`. */
  readonly maxAgeSeconds: number;
}

/** Why a presented token logged nobody in; in every case the login cookie should be cleared. */
export type LoginTokenRejection =
  /** Not a token of this shape. */
  | "malformed"
  /** No live series under the selector (never issued, expired, logged out or revoked). */
  | "unknown"
  /** The series was revoked while this request rotated it. */
  | "lost"
  /** The validator matched no recent one: the series and (with an owner index) the owner's sessions were revoked. */
  | "theft-suspected";

/** What {@link LoginTokenSeries.redeem} decided. */
export type LoginTokenRedemption =
  | {
      readonly verdict: "redeemed";
      /** The user the series belongs to: the new session's owner. */
      readonly owner: string;
      /** The rotated token to send back. */
      readonly issued: IssuedLoginToken;
      /** `false` when a concurrent request had already rotated it to this same token (grace window). */
      readonly rotated: boolean;
      /** The series' store key (for the manager's events, which show only its fingerprint). */
      readonly selector: string;
    }
  | {
      readonly verdict: "theft-suspected";
      readonly owner: string;
      /** Whether the owner's sessions (and other series) were revoked too: needs a store with an owner index. */
      readonly ownerRevoked: boolean;
      /** How many records `destroyByOwner` removed (0 without an owner index). */
      readonly revokedCount: number;
      /** The series' store key (for the manager's events, which show only its fingerprint). */
      readonly selector: string;
    }
  | { readonly verdict: "malformed" | "unknown" | "lost"; readonly selector: string | undefined };

/** A series record's data, or `null` when `record` is not a live series. */
function seriesOf(record: SessionRecord | null, at: number): SeriesData | null {
  if (record === null || typeof record !== "object" || typeof record.data !== "object" || record.data === null) return null;
  const data = record.data as Partial<SeriesData>;
  if (data[LOGIN_TOKEN_MARKER] !== 1 || typeof data.validatorHash !== "string" || typeof data.seriesKey !== "string") return null;
  if (typeof record.owner !== "string" || !(at < record.expiresAt)) return null;
  return data as SeriesData;
}

/** True when `record` is a login-token series (live or not): never to be loaded as a session. */
export function isLoginTokenRecord(record: SessionRecord | null | undefined): boolean {
  return typeof record?.data === "object" && record.data !== null && Object.hasOwn(record.data, LOGIN_TOKEN_MARKER);
}

export class LoginTokenSeries {
  readonly #lifetimeMs: number;
  readonly #graceMs: number;
  readonly #now: () => number;
  readonly #store: Store;
  readonly #run: StoreRunner;

  constructor(store: Store, options: LoginTokenSeriesOptions) {
    this.#store = store;
    this.#lifetimeMs = options.lifetimeSeconds * 1000;
    this.#graceMs = options.graceSeconds * 1000;
    this.#now = options.now;
    this.#run = options.run ?? ((_operation, run) => run(store));
  }

  /** Whether theft detection can also revoke the owner's sessions (the store has an owner index). */
  get ownerIndex(): boolean {
    return this.#store.capabilities.ownerIndex && typeof this.#store.destroyByOwner === "function";
  }

  /** Starts a series for `owner` and returns its first token. */
  async issue(owner: string): Promise<IssuedLoginToken> {
    if (typeof owner !== "string" || owner.length === 0) {
      throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "a login token needs an owner (a non-empty string)."));
    }
    const at = this.#now();
    const validator = randomLoginTokenPart();
    const data: SeriesData = { [LOGIN_TOKEN_MARKER]: 1, validatorHash: hashValidator(validator), seriesKey: randomLoginTokenPart() };
    const record: SessionRecord = {
      data: { ...data },
      createdAt: at,
      lastSeenAt: at,
      expiresAt: at + this.#lifetimeMs,
      owner,
      rememberMeSeconds: this.#lifetimeMs / 1000,
    };
    for (let attempt = 1; ; attempt++) {
      const selector = randomLoginTokenPart();
      if (await this.#run("create", (s) => s.create(selector, record))) return issued(selector, validator, record.expiresAt, at);
      if (attempt === MAX_ISSUE_ATTEMPTS) {
        throw new SessionError(
          "ID_COLLISION",
          formatMessage(
            this.#store.name,
            `${MAX_ISSUE_ATTEMPTS} freshly generated login-token selectors already existed; check the random source.`,
          ),
        );
      }
    }
  }

  /** Checks a presented token and rotates it; see the module comment for the verdicts. */
  async redeem(token: string): Promise<LoginTokenRedemption> {
    const parts = parseLoginToken(token);
    if (parts === null) return { verdict: "malformed", selector: undefined };
    const { selector, validator } = parts;
    const record = await this.#run("get", (s) => s.get(selector));
    const at = this.#now();
    const series = seriesOf(record, at);
    if (record === null || series === null) return { verdict: "unknown", selector };
    const owner = record.owner as string;

    if (validatorMatches(validator, series.validatorHash)) {
      const next = nextValidator(series.seriesKey, validator);
      const rotated: SessionRecord = {
        ...record,
        data: { ...series, validatorHash: hashValidator(next), previousValidatorHash: series.validatorHash, rotatedAt: at },
        lastSeenAt: at,
      };
      if (!(await this.#run("replace", (s) => s.replace(selector, rotated)))) return { verdict: "lost", selector };
      return { verdict: "redeemed", owner, issued: issued(selector, next, record.expiresAt, at), rotated: true, selector };
    }
    if (
      typeof series.rotatedAt === "number" &&
      at - series.rotatedAt <= this.#graceMs &&
      validatorMatches(validator, series.previousValidatorHash)
    ) {
      // A request that raced the last rotation with the same token: its successor must be the current one.
      const next = nextValidator(series.seriesKey, validator);
      if (validatorMatches(next, series.validatorHash)) {
        return { verdict: "redeemed", owner, issued: issued(selector, next, record.expiresAt, at), rotated: false, selector };
      }
    }
    return this.#theft(selector, owner);
  }

  /**
   * Ends the series of `token` (logout). Resolves `true` when a series was removed. The validator
   * is not checked: whoever holds a selector may end its series, which only ever logs someone out.
   */
  async revoke(token: string): Promise<boolean> {
    const parts = parseLoginToken(token);
    return parts === null ? false : this.revokeSelector(parts.selector);
  }

  /** Ends the series stored under `selector`, if that record is a series. */
  async revokeSelector(selector: string): Promise<boolean> {
    const record = await this.#run("get", (s) => s.get(selector));
    if (!isLoginTokenRecord(record)) return false;
    return this.#run("destroy", (s) => s.destroy(selector));
  }

  /** The stored series under `selector` (to put back after revoking an owner's other sessions), or `null`. */
  async read(selector: string): Promise<SessionRecord | null> {
    const record = await this.#run("get", (s) => s.get(selector));
    return seriesOf(record, this.#now()) === null ? null : record;
  }

  /** Puts a series read by {@link read} back under its selector, unless one is there. */
  async restore(selector: string, record: SessionRecord): Promise<boolean> {
    if (seriesOf(record, this.#now()) === null) return false;
    return this.#run("create", (s) => s.create(selector, record));
  }

  async #theft(selector: string, owner: string): Promise<LoginTokenRedemption> {
    await this.#run("destroy", (s) => s.destroy(selector));
    let revokedCount = 0;
    const ownerRevoked = this.ownerIndex;
    if (ownerRevoked) {
      revokedCount = await this.#run("destroyByOwner", (s) => (s.destroyByOwner as NonNullable<Store["destroyByOwner"]>)(owner));
    }
    return { verdict: "theft-suspected", owner, ownerRevoked, revokedCount, selector };
  }
}

function issued(selector: string, validator: string, expiresAt: number, at: number): IssuedLoginToken {
  return {
    token: formatLoginToken({ selector, validator }),
    selector,
    expiresAt,
    maxAgeSeconds: Math.max(0, Math.floor((expiresAt - at) / 1000)),
  };
}
