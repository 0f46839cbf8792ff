/**
 * The two indexes the store relies on, and the plan to create the missing ones.
 *
 * - A TTL index on `expiresAt` with `expireAfterSeconds: 0`: MongoDB's TTL monitor (every 60 s
 *   by default) deletes each document once its `expiresAt` has passed. Reads filter expired
 *   documents meanwhile, so the monitor's delay never shows.
 * - An index on `owner`, sparse because anonymous sessions have none, for `listByOwner` and
 *   `destroyByOwner`.
 *
 * Creation is idempotent: an index that already exists with the same keys (whatever its name,
 * for instance one an operator created by hand) is reused, and concurrent servers issuing the same
 * `createIndexes` agree. Only an index on `expiresAt` that is not a TTL index is refused, because
 * with it expired sessions would never be deleted.
 */
import { configError } from "@tessera/core/internal";

/** One index as `createIndexes` takes it. */
export interface SessionIndexSpec {
  readonly key: Readonly<Record<string, 1>>;
  readonly name: string;
  readonly expireAfterSeconds?: number;
  readonly sparse?: boolean;
}

/** Deletes documents once `expiresAt` has passed. */
export const EXPIRY_INDEX: SessionIndexSpec = Object.freeze({
  key: Object.freeze({ expiresAt: 1 as const }),
  name: "tessera_expiresAt_ttl",
  expireAfterSeconds: 0,
});

/** Finds the sessions of one owner. */
export const OWNER_INDEX: SessionIndexSpec = Object.freeze({
  key: Object.freeze({ owner: 1 as const }),
  name: "tessera_owner",
  sparse: true,
});

/** The indexes a sessions collection needs, in creation order. */
export const SESSION_INDEXES: readonly SessionIndexSpec[] = Object.freeze([EXPIRY_INDEX, OWNER_INDEX]);

/** What `listIndexes` reports about one existing index (the fields the plan looks at). */
export interface ExistingIndex {
  name?: string;
  key?: Record<string, unknown>;
  expireAfterSeconds?: number;
}

function sameKey(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>> | undefined): boolean {
  if (b === undefined) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return aKeys.length === bKeys.length && aKeys.every((key, i) => bKeys[i] === key && Number(b[key]) === Number(a[key]));
}

/**
 * The indexes still to create, given the existing ones. Throws `INVALID_CONFIG` when an existing
 * index on `expiresAt` is not a TTL index.
 */
export function planIndexes(existing: readonly ExistingIndex[]): SessionIndexSpec[] {
  const missing: SessionIndexSpec[] = [];
  for (const wanted of SESSION_INDEXES) {
    const found = existing.find((index) => sameKey(wanted.key, index.key));
    if (found === undefined) {
      missing.push(wanted);
      continue;
    }
    if (wanted.expireAfterSeconds !== undefined && typeof found.expireAfterSeconds !== "number") {
      throw configError(
        `the index ${JSON.stringify(found.name ?? "?")} on { expiresAt: 1 } is not a TTL index, so expired sessions would never be deleted. ` +
          "Drop it and let the store create its TTL index, make it a TTL index (expireAfterSeconds: 0), or pass manageIndexes: false and manage expiry yourself.",
        "mongodb",
      );
    }
  }
  return missing;
}
