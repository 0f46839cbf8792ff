/**
 * The expiry model, as pure functions of the server's clock:
 * - idle (rolling): a session expires `idleWindow` after `lastSeenAt`;
 * - absolute: it expires `absoluteTimeout` after `createdAt`, whatever the activity;
 * - `expiresAt = min(lastSeenAt + idleWindow, createdAt + absoluteTimeout)` drives the store's TTL
 *   and the cookie's Max-Age.
 */
import type { ExpiryReason } from "./events.js";
import { DEFAULT_TOUCH_FRACTION } from "./options.js";

/** The timestamps expiry is computed from (epoch ms). */
export interface ExpiryClock {
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** The session's idle window: its remember-me lifetime when it has one, else the manager's idle timeout. */
export function idleWindowMs(rememberMeSeconds: number | undefined, idleTimeoutMs: number): number {
  return rememberMeSeconds !== undefined && rememberMeSeconds > 0 ? rememberMeSeconds * 1000 : idleTimeoutMs;
}

/** `min(lastSeenAt + idleWindow, createdAt + absoluteTimeout)`. */
export function computeExpiresAt(times: ExpiryClock, idleWindow: number, absoluteTimeoutMs: number): number {
  return Math.min(times.lastSeenAt + idleWindow, times.createdAt + absoluteTimeoutMs);
}

/** Why the session is expired at `now`, or `null` while it is alive. Absolute wins a tie. */
export function expiryReasonAt(now: number, times: ExpiryClock, idleWindow: number, absoluteTimeoutMs: number): ExpiryReason | null {
  if (now >= times.createdAt + absoluteTimeoutMs) return "absolute";
  if (now >= times.lastSeenAt + idleWindow) return "idle";
  return null;
}

/**
 * Whether a read-only request should write `lastSeenAt` back: only once `touchAfter` (or, by
 * default, a share of the idle window) has passed since the last write.
 */
export function isTouchDue(now: number, lastSeenAt: number, idleWindow: number, touchAfterMs: number | undefined): boolean {
  const threshold = touchAfterMs ?? Math.floor(idleWindow * DEFAULT_TOUCH_FRACTION);
  return now - lastSeenAt >= threshold;
}
