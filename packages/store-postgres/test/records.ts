/** Session IDs and records in the core's format, for store-level tests. */
import type { SessionRecord } from "@tessera/core";
import { encodeBase64url } from "@tessera/core/internal";

export function newId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, ...overrides };
}
