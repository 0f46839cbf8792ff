/**
 * `planCommit`: the one place that decides what a commit does — which records to destroy, which
 * store write to make, and what happens to the cookie. `commit` carries the plan out and
 * `needsCommit` asks whether there is one, so the two can never disagree.
 */
import { isTouchDue } from "./expiry.js";
import type { PendingDestroy, SessionData, SessionState } from "./session.js";

/** The store write a commit makes. */
export type StoreWriteKind = "none" | "create" | "replace" | "patch" | "touch";

/** What a commit does to the client's token. */
export type CookieAction = "issue" | "clear" | "none";

/** What one commit must do. */
export interface CommitPlan {
  /**
   * Records to destroy first (the session's own pending list). Their answers can change the rest
   * (a move whose old record is gone drops what it carried), so once they ran the executor plans again.
   */
  readonly destroys: readonly PendingDestroy[];
  readonly write: StoreWriteKind;
  /** The write only records activity (a due touch, `touch()` or `resave`), not a change. */
  readonly activityOnly: boolean;
  /** What the token gets once the write lands; a write that finds the record gone sends nothing. */
  readonly cookie: CookieAction;
  /** The token is re-issued because an older key or a foreign format signed it. */
  readonly resign: boolean;
}

/** The manager's settings and memory that a plan depends on. */
export interface CommitPolicy {
  readonly saveUninitialized: boolean;
  readonly resave: boolean;
  /** `undefined`: a share of each session's idle window. */
  readonly touchAfterMs: number | undefined;
  readonly sendOnlyOverHttps: boolean;
  /** The store has `patch` (per-key writes). */
  readonly storePatches: boolean;
  /** The store has `touch` (activity-only writes). */
  readonly storeTouches: boolean;
  /** Every write must re-issue the token (it carries the record). */
  readonly reissueOnWrite: boolean;
  /** When this process last wrote session `id` (epoch ms), if it still remembers. */
  lastWriteAt(id: string): number | undefined;
}

/**
 * The plan for committing `state` at `at`, or `null` when the commit has nothing to write and
 * nothing to send — the common read-only request, which must stay free of allocations.
 */
export function planCommit<Data extends SessionData>(state: SessionState<Data>, at: number, policy: CommitPolicy): CommitPlan | null {
  const flagged =
    state.pendingDestroy.length > 0 || state.clearToken || state.resign !== undefined || state.metaChanged || state.forceTouch;
  let changed: boolean | undefined;
  if (!flagged) {
    changed = state.hasChangedKeys();
    if (!changed) {
      if (!state.stored) {
        if ((state.isEmpty && !policy.saveUninitialized) || cookieWithheld(state, policy)) return null;
      } else if (!policy.resave && !touchIsDue(state, at, policy)) return null;
    }
  }

  const withheld = cookieWithheld(state, policy);
  let write: StoreWriteKind = "none";
  let activityOnly = false;
  let issue = false;
  if (!state.stored) {
    if ((!state.isEmpty || policy.saveUninitialized) && !withheld) {
      write = "create";
      issue = true;
    }
  } else if (state.metaChanged || (changed ?? state.hasChangedKeys())) {
    // A remember-me or owner change needs the whole record; a remember-me change alters the cookie itself.
    write = state.metaChanged || !policy.storePatches ? "replace" : "patch";
    issue = state.isPersistent || state.metaChanged;
  } else {
    const touchDue = touchIsDue(state, at, policy);
    if (state.forceTouch || policy.resave || touchDue) {
      write = policy.storeTouches ? "touch" : "replace";
      activityOnly = true;
      // `resave` writes on every request, but the cookie goes out only when a touch was due anyway.
      issue = state.isPersistent && (state.forceTouch || touchDue);
    }
  }
  const resign = state.resign !== undefined && (state.stored || write === "create");
  if (resign || (policy.reissueOnWrite && write !== "none")) issue = true;
  let cookie: CookieAction = "none";
  if (withheld) cookie = "none";
  else if (issue) cookie = "issue";
  else if (state.clearToken && (state.tokenSent || state.tokenIssued)) cookie = "clear";
  return { destroys: state.pendingDestroy, write, activityOnly, cookie, resign };
}

/** `sendOnlyOverHttps` and a plain-HTTP request: no cookie goes out, so no new session is stored either. */
export function cookieWithheld<Data extends SessionData>(state: SessionState<Data>, policy: CommitPolicy): boolean {
  return policy.sendOnlyOverHttps && !state.requestSecure && state.transport === "cookie";
}

/** Whether a read-only request should touch: the threshold passed, and no other request touched it meanwhile. */
function touchIsDue<Data extends SessionData>(state: SessionState<Data>, at: number, policy: CommitPolicy): boolean {
  const window = state.idleWindowMs;
  if (!isTouchDue(at, state.lastSeenAt, window, policy.touchAfterMs)) return false;
  // Concurrent requests that loaded the same stale lastSeenAt would each touch; the first one
  // this process made is remembered, so the others skip theirs.
  const touchedAt = policy.lastWriteAt(state.id);
  return touchedAt === undefined || isTouchDue(at, touchedAt, window, policy.touchAfterMs);
}
