/**
 * Reading `X-Forwarded-Proto`, for adapters whose app says it trusts its reverse proxy. Only then
 * may the header decide whether a request counts as HTTPS (for `cookie.secure: "auto"`): anyone
 * can send it to a server that is reachable directly.
 */

/**
 * Whether an `X-Forwarded-Proto` value says the client used HTTPS. With several proxies the header
 * is a list; its first entry is what the client used. Missing or empty: `false`.
 */
export function isForwardedHttps(header: string | readonly string[] | null | undefined): boolean {
  const value = typeof header === "string" ? header : header?.[0];
  if (!value) return false;
  const comma = value.indexOf(",");
  return (comma === -1 ? value : value.slice(0, comma)).trim().toLowerCase() === "https";
}
