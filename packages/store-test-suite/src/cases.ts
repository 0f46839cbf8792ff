/**
 * The contract every store must honour, one entry per case. The README lists the same cases.
 */
export const STORE_CASES = {
  capabilities: "declares a name and capabilities that match its methods",
  "get-missing": "get of an unknown ID resolves null",
  "round-trip": "round-trips nested, unicode and falsy values and all metadata",
  "large-and-many": "round-trips a 60 KB value and 200 keys",
  "special-keys": "keeps data keys such as __proto__, a.b, $x, * ? [ ] : / as plain data",
  "create-only-if-absent": "create never overwrites an existing record",
  "create-after-destroy": "create succeeds again after destroy",
  "replace-only-if-present": "replace of a missing record resolves false and creates nothing",
  "replace-overwrites": "replace overwrites the whole record (removed keys are gone)",
  "patch-only-if-present": "patch of a missing record resolves false and creates nothing",
  "patch-delta": "patch sets and unsets only the given keys and updates activity",
  "touch-only-if-present": "touch of a missing record resolves false and creates nothing",
  "touch-activity-only": "touch updates lastSeenAt and expiresAt and leaves data alone",
  "concurrent-patches": "concurrent patches of different keys both survive",
  "destroy-idempotent": "destroy resolves true for a live record, then false the second time and for a missing ID",
  "destroy-reports-live": "destroy answers per record: true for each live one (after replace, patch, touch), false where none is",
  "destroy-expired": "destroy of a record whose expiresAt has passed resolves false; its ID and owner listing are clear",
  "returns-copies": "returned and passed-in records are copies, not shared references",
  "native-expiry": "a record is gone after its expiresAt without being read",
  "touch-extends-expiry": "touch with a later expiresAt keeps the record past its old expiry",
  "prefix-isolation": "two stores with different prefixes on one backend never see each other",
  "owner-list": "listByOwner returns exactly the owner's sessions with their records",
  "owner-follows-writes": "the owner index follows replace (owner changed or removed) and destroy",
  "owner-destroy-except": "destroyByOwner removes all but `except` and resolves the count",
  "owner-special-chars": "owners containing * ? [ ] : / match only themselves",
  ids: "ids() yields every stored session ID",
  "dispose-keeps-client": "dispose() of one store leaves other stores and a client the user passed in working",
} as const;

/** The identifier of one conformance case. */
export type StoreCaseId = keyof typeof STORE_CASES;
