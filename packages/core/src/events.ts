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
      readonly type: "store-error";
      readonly at: number;
      /** The store operation that failed, e.g. `get`, `patch`. */
      readonly operation: string;
      readonly error: SessionError;
    };

/** The `type` of a {@link SessionEvent}. */
export type SessionEventType = SessionEvent["type"];

/** A listener for lifecycle events. It runs synchronously; an exception in it propagates. */
export type SessionEventListener = (event: SessionEvent) => void;
