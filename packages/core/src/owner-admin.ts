/**
 * Managing sessions from outside a request: an owner's sessions (`listSessions`,
 * `revokeSessions`) and one session by ID (`destroySession`).
 */
import { formatMessage, SessionError } from "./errors.js";
import { type EventHub, sessionRef } from "./event-hub.js";
import { computeExpiresAt, expiryReasonAt, idleWindowMs } from "./expiry.js";
import { isLoginTokenRecord } from "./login-token-series.js";
import type { ResolvedOptions } from "./options.js";
import { visibleData } from "./reserved-keys.js";
import type { SessionData } from "./session.js";
import type { SessionTokenCodec } from "./session-token-codec.js";
import type { Store } from "./store.js";
import type { StoreCaller } from "./store-call.js";

/** One of an owner's sessions, as `listSessions` returns it. */
export interface SessionSummary<Data extends SessionData = SessionData> {
  /** The session ID (no signature: it cannot be used as a cookie). Pass it to `destroySession`. */
  readonly id: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  /** Whether the session has a persistent (remember-me) cookie. */
  readonly persistent: boolean;
  readonly data: Partial<Data>;
}

/** What the owner admin works with. */
export interface OwnerAdminParts {
  readonly store: Store;
  readonly caller: StoreCaller;
  readonly events: EventHub;
  readonly codec: SessionTokenCodec;
  readonly options: ResolvedOptions;
  readonly isIdShape: (id: string) => boolean;
}

export class OwnerAdmin<Data extends SessionData> {
  readonly #parts: OwnerAdminParts;

  constructor(parts: OwnerAdminParts) {
    this.#parts = parts;
  }

  async listSessions(owner: string): Promise<Array<SessionSummary<Data>>> {
    const { caller, options } = this.#parts;
    assertOwner(owner);
    this.#requireOwnerIndex("listSessions");
    const owned = await caller.call("listByOwner", (s) => (s.listByOwner as NonNullable<Store["listByOwner"]>)(owner));
    const at = options.now();
    const out: Array<SessionSummary<Data>> = [];
    for (const { id, record } of owned) {
      const window = idleWindowMs(record.rememberMeSeconds, options.idleTimeoutMs);
      // Login-token series share the owner index, but they are not sessions.
      if (isLoginTokenRecord(record) || expiryReasonAt(at, record, window, options.absoluteTimeoutMs) !== null) continue;
      const data = visibleData(record.data);
      out.push({
        id,
        createdAt: record.createdAt,
        lastSeenAt: record.lastSeenAt,
        expiresAt: computeExpiresAt(record, window, options.absoluteTimeoutMs),
        persistent: record.rememberMeSeconds === undefined ? options.cookie.persistent : record.rememberMeSeconds > 0,
        data: data as Partial<Data>,
      });
    }
    return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  /** `idOf` reads the ID of a session object passed as `except` (it throws for anything else). */
  async revokeSessions<S>(owner: string, except: string | S | undefined, idOf: (session: S) => string): Promise<number> {
    const { caller, events, options } = this.#parts;
    assertOwner(owner);
    this.#requireOwnerIndex("revokeSessions");
    const exceptId = except === undefined ? undefined : typeof except === "string" ? except : idOf(except);
    const count = await caller.call("destroyByOwner", (s) =>
      (s.destroyByOwner as NonNullable<Store["destroyByOwner"]>)(owner, exceptId === undefined ? {} : { except: exceptId }),
    );
    events.emit(() => ({ type: "revoked", at: options.now(), owner, count }));
    return count;
  }

  async destroySession(id: string): Promise<void> {
    const { caller, codec, events, options, store } = this.#parts;
    if (codec.carriesRecord) {
      throw new SessionError(
        "INVALID_CONFIG",
        formatMessage(
          store.name,
          "sealed-cookie sessions live only in the browser and cannot be destroyed on the server; use a server-side store to revoke sessions.",
        ),
      );
    }
    if (typeof id !== "string" || !this.#parts.isIdShape(id)) {
      throw new SessionError(
        "INVALID_ARGUMENT",
        formatMessage(undefined, "destroySession() needs a session ID as returned by listSessions()."),
      );
    }
    await caller.call("destroy", (s) => s.destroy(id));
    events.emit(() => ({ type: "destroyed", at: options.now(), sessionRef: sessionRef(id), reason: "revoked" }));
  }

  #requireOwnerIndex(method: string): void {
    const { store } = this.#parts;
    if (!store.capabilities.ownerIndex || !store.listByOwner || !store.destroyByOwner) {
      throw new SessionError(
        "INVALID_CONFIG",
        formatMessage(store.name, `${method} needs a store with an owner index; this store does not declare capabilities.ownerIndex.`),
      );
    }
  }
}

function assertOwner(owner: unknown): asserts owner is string {
  if (typeof owner !== "string" || owner.length === 0) {
    throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "owner must be a non-empty string."));
  }
}
