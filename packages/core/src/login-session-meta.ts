/**
 * What a session remembers about login tokens, kept in its record under a reserved data key that
 * the session never shows as data: whether the session was restored from a login token, and the
 * selector of the series its browser holds (so "log out other devices" keeps this device's token).
 */

import { LOGIN_SESSION_KEY } from "./reserved-keys.js";

/** A session's login-token bookkeeping. */
export interface LoginSessionMeta {
  /** The session was created by redeeming a login token (not by a password login). */
  readonly restored?: true;
  /** Store key of the login-token series this session's browser holds. */
  readonly series?: string;
}

/**
 * Removes the reserved key from a record's data (as loaded into a session) and returns its
 * meta, or `undefined` when absent or not of this shape.
 */
export function takeLoginSessionMeta(data: Map<string, unknown>): LoginSessionMeta | undefined {
  if (!data.has(LOGIN_SESSION_KEY)) return undefined;
  const value = data.get(LOGIN_SESSION_KEY) as { restored?: unknown; series?: unknown } | null;
  data.delete(LOGIN_SESSION_KEY);
  if (typeof value !== "object" || value === null) return undefined;
  const meta: { restored?: true; series?: string } = {};
  if (value.restored === true) meta.restored = true;
  if (typeof value.series === "string") meta.series = value.series;
  return meta.restored === undefined && meta.series === undefined ? undefined : meta;
}

/** The series selector a stored session's data points to, or `undefined`. */
export function loginSeriesOf(data: Record<string, unknown>): string | undefined {
  const value = Object.hasOwn(data, LOGIN_SESSION_KEY) ? (data[LOGIN_SESSION_KEY] as { series?: unknown } | null) : undefined;
  return typeof value === "object" && value !== null && typeof value.series === "string" ? value.series : undefined;
}
