/**
 * express-session's signed cookie as a Tessera token format, so its users stay logged in at the
 * switch (and, written during a side-by-side phase, express-session processes read Tessera's).
 *
 * The cookie value is `s:` + ID + `.` + base64(HMAC-SHA256(secret, ID)) without `=` padding, as
 * cookie-signature makes it, percent-encoded by the `cookie` package in `Set-Cookie`
 * (`s%3A...`, with `+` and `/` as `%2B` and `%2F`). It is signed with the first secret and
 * verified with each in turn, as express-session does.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ForeignToken, TokenFormat } from "@tessera/core";
import { configError } from "@tessera/core/internal";

/** One express-session secret: any non-empty string or bytes (express-session sets no minimum length). */
export type ExpressSessionSecret = string | Uint8Array;

/** express-session's cookie format; it always signs, so it can be a `writeTokenFormat`. */
export interface ExpressSessionCookieFormat extends TokenFormat {
  readonly name: "express-session";
  sign(id: string): string;
}

/** Marks a signed value in express-session's cookie. */
const SIGNED_PREFIX = "s:";
/** Characters of a base64 HMAC-SHA256 tag once its one `=` of padding is removed. */
const MAC_LENGTH = 43;
const DOUBLE_QUOTE = 0x22;

/**
 * The token format of express-session's `connect.sid` cookie, for the core's `tokenFormats` and
 * `writeTokenFormat`. `secrets` is express-session's `secret` option: one secret or a list,
 * current first, strings or Buffers. A cookie verified by any but the first is reported stale, so
 * a manager that writes this format re-signs it with the first.
 */
export function expressSessionCookie(secrets: ExpressSessionSecret | readonly ExpressSessionSecret[]): ExpressSessionCookieFormat {
  const list = typeof secrets === "string" || secrets instanceof Uint8Array ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw configError("expressSessionCookie(secrets) needs express-session's `secret`: a string, a Buffer, or a list of them.", "express");
  }
  list.forEach((secret: unknown, index) => {
    const valid = (typeof secret === "string" || secret instanceof Uint8Array) && secret.length > 0;
    if (!valid) throw configError(`expressSessionCookie: secret ${index} must be a non-empty string or Buffer.`, "express");
  });
  const keys: readonly ExpressSessionSecret[] = [...list];
  const macOf = (secret: ExpressSessionSecret, id: string): string =>
    createHmac("sha256", secret).update(id).digest("base64").slice(0, MAC_LENGTH);

  return {
    name: "express-session",
    sign(id: string): string {
      return encodeURIComponent(`${SIGNED_PREFIX}${id}.${macOf(keys[0] as ExpressSessionSecret, id)}`);
    },
    verify(token: string): ForeignToken | null {
      const value = decodeCookieValue(token);
      if (!value.startsWith(SIGNED_PREFIX)) return null;
      const dot = value.lastIndexOf(".");
      if (dot < SIGNED_PREFIX.length) return null;
      // UTF-8 of the given MAC: a string of other characters cannot have the length of an ASCII tag and still match.
      const given = Buffer.from(value.slice(dot + 1));
      if (given.length !== MAC_LENGTH) return null;
      const id = value.slice(SIGNED_PREFIX.length, dot);
      for (const [index, secret] of keys.entries()) {
        if (timingSafeEqual(Buffer.from(macOf(secret, id), "latin1"), given)) return { id, stale: index > 0 };
      }
      return null;
    },
  };
}

/**
 * The cookie value as express-session reads it through the `cookie` package: surrounding double
 * quotes removed, then percent-decoded when it holds a `%` (the raw value when that fails).
 */
function decodeCookieValue(raw: string): string {
  let value = raw;
  if (value.length >= 2 && value.charCodeAt(0) === DOUBLE_QUOTE && value.charCodeAt(value.length - 1) === DOUBLE_QUOTE) {
    value = value.slice(1, -1);
  }
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
