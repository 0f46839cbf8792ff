/**
 * Lifecycle events for audit logging and metrics. Events never carry a session ID or token:
 * `sessionRef` is a short fingerprint of the ID (SHA-256, 12 base64url characters), enough to
 * correlate log lines, useless to an attacker who reads the logs.
 */
import type { SessionError } from "./errors.js";

/** Why a stored session was found expired on read. */
export type ExpiryReason = "idle" | "absolute";

/** Fields shared by the events about one session. */
export interface EventBase {
  /** Epoch ms from the manager's clock. */
  readonly at: number;
  /** Fingerprint of the session ID the event is about. */
  readonly sessionRef: string;
}

/** Everything the manager reports to `onEvent` listeners. */
export type SessionEvent =
  | (EventBase & { readonly type: "created"; readonly owner: string | undefined })
  | (EventBase & { readonly type: "touched" })
  | (EventBase & { readonly type: "regenerated"; readonly previousRef: string })
  | (EventBase & { readonly type: "re-signed"; readonly fromKid: string; readonly toKid: string })
  | (EventBase & { readonly type: "expired"; readonly reason: ExpiryReason })
  | (EventBase & {
      readonly type: "destroyed";
      /** `destroy`: the app destroyed it; `expired`: cleaned up after an expired read; `revoked`: by `destroySession`. */
      readonly reason: "destroy" | "expired" | "revoked";
    })
  | {
      readonly type: "invalid-token";
      readonly at: number;
      /** `bad-signature`: malformed, tampered or signed by an unknown key; `unknown-session`: correctly signed but not in the store. */
      readonly reason: "bad-signature" | "unknown-session";
    }
  | (EventBase & {
      /** A write to an existing session found it gone (destroyed or expired meanwhile) and was dropped. */
      readonly type: "write-skipped";
    })
  | {
      /** `revokeSessions` removed `count` sessions of `owner`. */
      readonly type: "revoked";
      readonly at: number;
      readonly owner: string;
      readonly count: number;
    }
  | {
      /** `session.issueLoginToken()` started a login-token series for `owner`. */
      readonly type: "login-token-issued";
      readonly at: number;
      /** Fingerprint of the series (never its selector or validator). */
      readonly seriesRef: string;
      readonly owner: string;
    }
  | (EventBase & {
      /**
       * A login token logged `owner` back in: `sessionRef` is the new session. `rotated` is `false`
       * when a concurrent request had already rotated the token (grace window) and this one got the same.
       */
      readonly type: "login-token-redeemed";
      readonly seriesRef: string;
      readonly owner: string;
      readonly rotated: boolean;
    })
  | {
      /**
       * A login-token series ended. `logout`: `session.destroy()` on a request carrying it;
       * `theft-suspected`: a replaced token was used again, so the series and (with an owner index,
       * `ownerRevoked`) every session of `owner` were revoked; `unknown`: the token named no live
       * series (expired, revoked, or never issued) and its cookie was cleared; `lost`: it was revoked
       * while this request rotated it; `malformed`: the cookie was not a login token.
       */
      readonly type: "login-token-revoked";
      readonly at: number;
      readonly reason: "logout" | "theft-suspected" | "unknown" | "lost" | "malformed";
      /** Fingerprint of the series, when the cookie named one. */
      readonly seriesRef: string | undefined;
      /** The series' owner, when known (logout and theft). */
      readonly owner: string | undefined;
      /** `theft-suspected` only: whether the owner's sessions were revoked too (needs an owner index). */
      readonly ownerRevoked?: boolean;
    }
  | {
      readonly type: "store-error";
      readonly at: number;
      /** The store operation that failed, e.g. `get`, `patch`. */
      readonly operation: string;
      readonly error: SessionError;
    }
  | {
      /** A setup the manager runs with but that will misbehave, reported once when the manager is created. */
      readonly type: "warning";
      readonly at: number;
      readonly code: WarningCode;
      /** What goes wrong and how to fix it. */
      readonly message: string;
    };

/**
 * `memory-store-per-isolate`: no `store` was given on a runtime that is not Node (Workers, Deno
 * Deploy, Vercel Edge), where each isolate has its own memory, so sessions vanish at random.
 */
export type WarningCode = "memory-store-per-isolate";

/** The `type` of a {@link SessionEvent}. */
export type SessionEventType = SessionEvent["type"];

/** A listener for lifecycle events. It runs synchronously; an exception in it propagates. */
export type SessionEventListener = (event: SessionEvent) => void;
