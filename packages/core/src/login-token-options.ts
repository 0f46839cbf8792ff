/**
 * The manager option `loginTokens` (persistent login tokens), its defaults and its validation.
 */
import { configError } from "./errors.js";
import { checkOptionNames } from "./option-names.js";

/** Options of persistent login tokens ("remember me" as a token with theft detection). */
export interface LoginTokenOptions {
  /**
   * Name of the login-token cookie. It gets the session cookie's `Path`, `Domain`, `SameSite` and
   * `Secure` rules, is always `HttpOnly`, and must differ from the session cookie's name.
   * @default "tessera.login"
   */
  cookieName?: string;
  /**
   * How long a token series lives after `issueLoginToken()`, in seconds. Using the token rotates
   * it but does not extend this: the user logs in with a password again after it.
   * @default 2592000 (30 days)
   */
  lifetimeSeconds?: number;
  /**
   * How long after a rotation the replaced token is still accepted, in seconds, for requests that
   * were already under way with it (two tabs after a browser restart). They get the same new token.
   * A replaced token used after this window counts as stolen. `0` accepts no replaced token.
   * @default 60
   */
  graceSeconds?: number;
}

/** `loginTokens` after defaults, validated. */
export interface ResolvedLoginTokenOptions {
  readonly cookieName: string;
  readonly lifetimeSeconds: number;
  readonly graceSeconds: number;
}

export const DEFAULT_LOGIN_TOKEN_COOKIE_NAME = "tessera.login";
export const DEFAULT_LOGIN_TOKEN_LIFETIME_SECONDS = 2_592_000;
export const DEFAULT_LOGIN_TOKEN_GRACE_SECONDS = 60;

const OPTION_NAMES = ["cookieName", "lifetimeSeconds", "graceSeconds"] as const;
/** RFC 6265 cookie-name token characters. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The session cookie's settings the login cookie must agree with. */
export interface SessionCookieRules {
  readonly name: string;
  readonly path: string;
  readonly domain: string | undefined;
  readonly secure: boolean | "auto";
}

/**
 * Applies defaults to `loginTokens` and validates it; `undefined` (the feature is off) when absent.
 * Throws `INVALID_CONFIG` on the first mistake.
 */
export function resolveLoginTokenOptions(value: unknown, cookie: SessionCookieRules): ResolvedLoginTokenOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configError(
      "`loginTokens` must be an object ({ cookieName?, lifetimeSeconds?, graceSeconds? }); omit it to turn login tokens off.",
    );
  }
  checkOptionNames(value, { known: OPTION_NAMES, source: "loginTokens" });
  const options = value as LoginTokenOptions;
  const cookieName = options.cookieName ?? DEFAULT_LOGIN_TOKEN_COOKIE_NAME;
  if (typeof cookieName !== "string" || !COOKIE_NAME.test(cookieName)) {
    throw configError(
      `\`loginTokens.cookieName\` ${JSON.stringify(cookieName)} is not a valid cookie name; use letters, digits and ! # $ % & ' * + - . ^ _ \` | ~ only.`,
    );
  }
  if (cookieName === cookie.name) {
    throw configError(`\`loginTokens.cookieName\` must differ from the session cookie's name (${JSON.stringify(cookie.name)}).`);
  }
  if (cookieName.startsWith("__Host-") && (cookie.secure !== true || cookie.path !== "/" || cookie.domain !== undefined)) {
    throw configError(
      `\`loginTokens.cookieName\` "${cookieName}" has the __Host- prefix, which requires the session cookie options \`secure: true\`, \`path: "/"\` and no \`domain\` (the login cookie shares them).`,
    );
  }
  if (cookieName.startsWith("__Secure-") && cookie.secure !== true) {
    throw configError(
      `\`loginTokens.cookieName\` "${cookieName}" has the __Secure- prefix, which requires the session cookie option \`secure: true\` (the login cookie shares it).`,
    );
  }
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LOGIN_TOKEN_LIFETIME_SECONDS;
  if (typeof lifetimeSeconds !== "number" || !Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw configError(`\`loginTokens.lifetimeSeconds\` must be a positive number of seconds, got ${String(lifetimeSeconds)}.`);
  }
  const graceSeconds = options.graceSeconds ?? DEFAULT_LOGIN_TOKEN_GRACE_SECONDS;
  if (typeof graceSeconds !== "number" || !Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw configError(`\`loginTokens.graceSeconds\` must be a number of seconds >= 0, got ${String(graceSeconds)}.`);
  }
  if (graceSeconds >= lifetimeSeconds) {
    throw configError(
      `\`loginTokens.graceSeconds\` (${graceSeconds}) must be below \`loginTokens.lifetimeSeconds\` (${lifetimeSeconds}); keep it to the time two overlapping requests take (the default is 60).`,
    );
  }
  return { cookieName, lifetimeSeconds, graceSeconds };
}
