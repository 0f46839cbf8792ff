/**
 * The session data keys Tessera keeps for itself. They live in the record next to the app's data
 * (so every store keeps them without new methods), but the app never sees, sets or lists them.
 */

/** Flash values waiting to be read once. */
export const FLASH_KEY = "~flash";
/** The session's CSRF secret. */
export const CSRF_KEY = "~csrf";
/** Login-token bookkeeping (restored flag, the browser's series). */
export const LOGIN_SESSION_KEY = "~login";

/** What each reserved key is for, as the error for an app that tries to set it says. */
const RESERVED_FOR: ReadonlyMap<string, string> = new Map([
  [FLASH_KEY, "flash values; use session.flash()"],
  [CSRF_KEY, "the CSRF secret; use session.csrfToken()"],
  [LOGIN_SESSION_KEY, "login-token bookkeeping; use session.issueLoginToken()"],
]);

/** Why `key` cannot be an app's data key, or `undefined` when it can. */
export function reservedKeyUse(key: string): string | undefined {
  return RESERVED_FOR.get(key);
}

/** Whether `key` is one of Tessera's own keys (hidden from the app's view of the data). */
export function isReservedKey(key: string): boolean {
  return RESERVED_FOR.has(key);
}

/** A record's data without the reserved keys: what the app may be shown (`listSessions`). */
export function visibleData(data: Record<string, unknown>): Record<string, unknown> {
  const { [FLASH_KEY]: _flash, [CSRF_KEY]: _csrf, [LOGIN_SESSION_KEY]: _login, ...visible } = data;
  return visible;
}
