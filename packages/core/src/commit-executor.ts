/**
 * Carries out a {@link CommitPlan}: runs the destroys, makes the store write and sends or clears the
 * token. It decides nothing itself beyond handling the store's answers: a write that finds the
 * record gone, a move whose old record is gone, a create whose fresh ID already exists.
 */
import type { BoundedCache } from "./bounded-cache.js";
import { type CommitPlan, type CommitPolicy, planCommit } from "./commit-plan.js";
import type { SetCookieWriter } from "./cookie-header.js";
import { formatMessage, SessionError } from "./errors.js";
import { type EventHub, sessionRef } from "./event-hub.js";
import { computeExpiresAt } from "./expiry.js";
import type { ResolvedOptions } from "./options.js";
import type { ResponsePort } from "./ports.js";
import type { PendingWrite, SessionData, SessionState } from "./session.js";
import type { SessionTokenCodec } from "./session-token-codec.js";
import type { Store } from "./store.js";
import type { StoreCaller } from "./store-call.js";

/** How many fresh IDs `create` tries before giving up (a collision means a broken random source). */
const MAX_CREATE_ATTEMPTS = 3;

/** The plan left once the destroys ran and nothing else is due. */
const NOTHING_LEFT: CommitPlan = Object.freeze({ destroys: [], write: "none", activityOnly: false, cookie: "none", resign: false });

/** What the executor works with. */
export interface CommitExecutorParts {
  readonly store: Store;
  readonly caller: StoreCaller;
  readonly events: EventHub;
  readonly codec: SessionTokenCodec;
  readonly cookies: SetCookieWriter;
  readonly options: ResolvedOptions;
  readonly policy: CommitPolicy;
  /** When this process last wrote each recent session; `undefined` when the token carries the record. */
  readonly recentWrites: BoundedCache<string, number> | undefined;
}

export class CommitExecutor {
  readonly #parts: CommitExecutorParts;

  constructor(parts: CommitExecutorParts) {
    this.#parts = parts;
  }

  /** Carries out `plan` (from `planCommit(state, at)`), then marks the session committed. */
  async run<Data extends SessionData>(state: SessionState<Data>, plan: CommitPlan, response: ResponsePort, at: number): Promise<void> {
    state.commitsInFlight++;
    try {
      if (plan.destroys.length > 0) {
        await this.#destroy(state, at);
        plan = planCommit(state, at, this.#parts.policy) ?? NOTHING_LEFT;
      }
      const pending = state.beginWrite();
      try {
        const written = await this.#write(state, plan, pending, at);
        if (written) {
          const sending = this.#sendToken(state, plan, response, at);
          // Only a sealed token is issued asynchronously: awaiting nothing keeps a write's commit short.
          if (sending !== undefined) await sending;
        }
      } catch (error) {
        state.abortWrite(pending);
        throw error;
      }
      state.markCommitted();
    } finally {
      state.commitsInFlight--;
    }
  }

  /** Destroys the pending records; a move whose old record is already gone keeps nothing from it. */
  async #destroy<Data extends SessionData>(state: SessionState<Data>, at: number): Promise<void> {
    const { caller, events } = this.#parts;
    // A move destroys the old record before creating the new one, so refuse what cannot be
    // written (a value JSON would change, a payload over the limit) before anything is destroyed.
    if (!state.isEmpty) this.#assertPayloadFits(state);
    for (const { id, reason, movedFrom } of state.pendingDestroy) {
      const removed = await caller.call("destroy", (s) => s.destroy(id));
      events.emit(() => ({ type: "destroyed", at, sessionRef: sessionRef(id), reason }));
      if (movedFrom && removed !== true) this.#movedFromGone(state, at);
    }
    state.pendingDestroy.length = 0;
  }

  /** Makes the plan's store write. Resolves `false` when it found the record gone (nothing more to send). */
  async #write<Data extends SessionData>(state: SessionState<Data>, plan: CommitPlan, pending: PendingWrite, at: number): Promise<boolean> {
    const { caller, events, options } = this.#parts;
    const id = state.id;
    let written: boolean;
    switch (plan.write) {
      case "none":
        return true;
      case "create":
        await this.#create(state, at);
        return true;
      case "patch": {
        const changes = state.changes(pending);
        this.#assertPayloadFits(state);
        const expiresAt = computeExpiresAt({ createdAt: state.createdAt, lastSeenAt: at }, state.idleWindowMs, options.absoluteTimeoutMs);
        const patch = { set: changes?.set ?? {}, unset: changes?.unset ?? [], lastSeenAt: at, expiresAt };
        written = await this.#claimedWrite(id, at, () => caller.call("patch", (s) => (s.patch as NonNullable<Store["patch"]>)(id, patch)));
        if (written) state.lastSeenAt = at;
        break;
      }
      case "replace": {
        if (!plan.activityOnly) {
          state.changes(pending);
          this.#assertPayloadFits(state);
        }
        const record = state.toRecord(at);
        written = await this.#claimedWrite(id, at, () => caller.call("replace", (s) => s.replace(id, record)));
        break;
      }
      case "touch": {
        const activity = {
          lastSeenAt: at,
          expiresAt: computeExpiresAt({ createdAt: state.createdAt, lastSeenAt: at }, state.idleWindowMs, options.absoluteTimeoutMs),
        };
        written = await this.#claimedWrite(id, at, () =>
          caller.call("touch", (s) => (s.touch as NonNullable<Store["touch"]>)(id, activity)),
        );
        if (written) state.lastSeenAt = at;
        break;
      }
    }
    if (!written) {
      this.#lost(state, at);
      return false;
    }
    if (plan.activityOnly) events.emit(() => ({ type: "touched", at, sessionRef: sessionRef(id) }));
    return true;
  }

  /** Stores a new session, under a fresh ID again when the first one already exists. */
  async #create<Data extends SessionData>(state: SessionState<Data>, at: number): Promise<void> {
    const { caller, events, store } = this.#parts;
    this.#assertPayloadFits(state);
    for (let attempt = 1; ; attempt++) {
      const record = state.toRecord(at);
      const id = state.id;
      if (await caller.call("create", (s) => s.create(id, record))) break;
      if (attempt === MAX_CREATE_ATTEMPTS) {
        throw new SessionError(
          "ID_COLLISION",
          formatMessage(
            store.name,
            `${MAX_CREATE_ATTEMPTS} freshly generated session IDs already existed; check the random source (generateId).`,
          ),
        );
      }
      state.reassignId();
    }
    this.#parts.recentWrites?.set(state.id, at);
    state.stored = true;
    const from = state.regeneratedFrom;
    if (from !== undefined) {
      events.emit(() => ({ type: "regenerated", at, sessionRef: sessionRef(state.id), previousRef: sessionRef(from) }));
    } else {
      events.emit(() => ({ type: "created", at, sessionRef: sessionRef(state.id), owner: state.owner }));
    }
  }

  /**
   * Sends or clears the token as the plan says: every `Set-Cookie` line (and the token header) a
   * commit adds goes out here. Returns a promise only while a token is being sealed.
   */
  #sendToken<Data extends SessionData>(
    state: SessionState<Data>,
    plan: CommitPlan,
    response: ResponsePort,
    at: number,
  ): Promise<void> | undefined {
    const { codec, cookies, events, options } = this.#parts;
    const resign = state.resign;
    if (plan.resign && resign !== undefined) {
      events.emit(() => ({ type: "re-signed", at, sessionRef: sessionRef(state.id), fromKid: resign.fromKid, toKid: codec.writeKid }));
    }
    if (plan.cookie === "issue") {
      const issued = codec.issue(state);
      if (typeof issued === "string") this.#appendToken(state, issued, response, at);
      else return issued.then((token) => this.#appendToken(state, token, response, at));
    } else if (plan.cookie === "clear") {
      if (state.transport === "header") {
        if (options.headerName !== undefined && response.setHeader) response.setHeader(options.headerName, "");
        return undefined;
      }
      response.appendSetCookie(cookies.clearLine(state.requestSecure));
    }
    return undefined;
  }

  #appendToken<Data extends SessionData>(state: SessionState<Data>, token: string, response: ResponsePort, at: number): void {
    const { codec, cookies, options } = this.#parts;
    const maxAge = state.isPersistent ? Math.max(0, Math.floor((state.expiresAt - at) / 1000)) : undefined;
    const line = cookies.line(token, maxAge, state.requestSecure);
    codec.assertCookieFits(line);
    state.tokenIssued = true;
    if (options.headerName !== undefined && response.setHeader) response.setHeader(options.headerName, token);
    if (state.transport === "header") return;
    response.appendSetCookie(line);
  }

  /**
   * Runs a write to an existing session after noting it in `recentWrites` — before, not after, so
   * that concurrent requests already see it — and takes the note back if the write did not happen.
   */
  async #claimedWrite(id: string, at: number, run: () => Promise<boolean>): Promise<boolean> {
    const recentWrites = this.#parts.recentWrites;
    const previous = recentWrites?.get(id);
    recentWrites?.set(id, at);
    let written = false;
    try {
      written = await run();
      return written;
    } finally {
      if (!written) {
        if (previous === undefined) recentWrites?.delete(id);
        else recentWrites?.set(id, previous);
      }
    }
  }

  /** A write found the record gone: it was destroyed or expired meanwhile. Never bring it back. */
  #lost<Data extends SessionData>(state: SessionState<Data>, at: number): void {
    this.#parts.events.emit(() => ({ type: "write-skipped", at, sessionRef: sessionRef(state.id) }));
    // The session is gone; the object becomes a new empty one (as after destroy()), so a later
    // commit in this request cannot create the old ID again with the old data.
    state.stored = false;
    state.destroy();
    // But the cookie stays: the browser may already hold a newer one (another request's
    // regenerate), and a logout's own response has cleared it already.
    state.clearToken = false;
  }

  /**
   * A `regenerate()` found the record it moves from already gone: another request logged the user
   * out (or revoked the session) first. Nothing carried from it may live on under the new ID, and
   * the cookie stays as it is: that request's response cleared it, or issued a newer one.
   */
  #movedFromGone<Data extends SessionData>(state: SessionState<Data>, at: number): void {
    this.#parts.events.emit(() => ({ type: "write-skipped", at, sessionRef: sessionRef(state.regeneratedFrom ?? state.id) }));
    state.dropCarried();
    if (state.regeneratedFrom !== undefined) state.clearToken = false;
  }

  #assertPayloadFits<Data extends SessionData>(state: SessionState<Data>): void {
    const { options } = this.#parts;
    const bytes = state.payloadBytes();
    if (bytes > options.maxPayloadBytes) {
      throw new SessionError(
        "PAYLOAD_TOO_LARGE",
        formatMessage(
          undefined,
          `the session serializes to ${bytes} bytes, over the ${options.maxPayloadBytes}-byte limit (maxPayloadBytes); nothing was written. Keep large data elsewhere and store a reference.`,
        ),
      );
    }
  }
}
