/** Session IDs and records in the core's format, for store-level tests. */
import { encodeBase64url, type SessionRecord } from "@tessera/core";

export function newId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, ...overrides };
}
