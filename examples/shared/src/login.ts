/** The login form's rules, shared by the three apps. */

/** How long "remember me" keeps a session, in seconds (14 days). */
export const REMEMBER_ME_SECONDS = 14 * 24 * 3600;

/** Letters, digits, `.`, `_`, `-`; 1 to 40 characters. */
const USERNAME = /^[\p{L}\p{N}._-]{1,40}$/u;

/** The login form, validated: a username and the remember-me choice, or an error to show. */
export function readLoginForm(form: {
  username?: unknown;
  remember?: unknown;
}): { username: string; remember: boolean } | { error: string } {
  const username = typeof form.username === "string" ? form.username.trim() : "";
  if (!USERNAME.test(username)) return { error: "Names are 1–40 letters, digits, dots, dashes or underscores." };
  return { username, remember: form.remember === "on" };
}

/** The notice after "log out my other sessions". */
export function revokedNotice(count: number): string {
  return `Signed out ${count} other session${count === 1 ? "" : "s"}.`;
}
