/**
 * Which unstorage drivers expire items by themselves from `setItem(key, value, { ttl })`.
 *
 * Checked against the driver sources of unstorage 1.17: each of these passes `ttl` (seconds) to
 * its backend. The others ignore it, notably `memory`, `fs`, `fs-lite` and `lru-cache` (whose
 * `setItem` drops the options; only a cache-wide `ttl` given to the driver itself applies).
 */
export const TTL_DRIVERS: ReadonlySet<string> = new Set([
  "redis", // SET ... EX <ttl>
  "cloudflare-kv-binding", // put(..., { expirationTtl }), at least 60 s (the driver's `minTTL`)
  "cloudflare-kv-http", // expiration_ttl, at least 60 s
  "upstash", // SET ... EX
  "vercel-kv", // SET ... EX
  "deno-kv", // set(..., { expireIn })
  "deno-kv-node",
]);

/** Whether the named driver honours per-item TTL. Unknown drivers are assumed not to. */
export function driverHonoursTtl(driverName: string | undefined): boolean {
  return driverName !== undefined && TTL_DRIVERS.has(driverName);
}

/**
 * The `ttl` to pass for a record expiring at `expiresAt`: whole seconds, rounded up so the item
 * never disappears before the record expires, and at least 1 (`SET ... EX 0` is an error).
 */
export function ttlSeconds(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil((expiresAt - now) / 1000));
}
