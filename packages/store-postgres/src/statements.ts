/**
 * Every SQL statement the store runs, built once per table. Each write is one statement whose
 * affected-row count is the answer the core needs; every condition on expiry compares with the
 * app's clock, passed as a parameter. Parameters arrive as text (or NULL) and are cast here, so
 * no client's own type mapping is involved.
 */
import { createHash } from "node:crypto";
import type { Statement } from "./driver.js";

/** The columns of a record, converted to text in select order (see `record-codec.ts`). */
const RECORD_COLUMNS = [
  "data::text",
  "round(extract(epoch FROM created_at) * 1000)::bigint::text",
  "round(extract(epoch FROM last_seen_at) * 1000)::bigint::text",
  "round(extract(epoch FROM expires_at) * 1000)::bigint::text",
  "owner",
  "remember_me_seconds::text",
].join(", ");

/** The value list of a whole record: `$first` is its data, then the timestamps, owner, remember-me. */
function recordValues(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `${p(0)}::text::jsonb, ${p(1)}::text::timestamptz, ${p(2)}::text::timestamptz, ${p(3)}::text::timestamptz, ${p(4)}::text, ${p(5)}::text::float8`;
}

/** The statements of one table. */
export interface Statements {
  /** [id, now] → the record's columns, if live. */
  readonly get: Statement;
  /** [id, ...record, now] → 1 row when it inserted, or overwrote an expired record; 0 when a live one is there. */
  readonly create: Statement;
  /** [id, ...record, now] → 1 row when a live record was overwritten. */
  readonly replace: Statement;
  /** [id, set (JSON object of JSON texts), unset (JSON array of keys), lastSeenAt, expiresAt, now] → 1 row when applied. */
  readonly patch: Statement;
  /** [id, lastSeenAt, expiresAt, now] → 1 row when applied. */
  readonly touch: Statement;
  /** [id, now] → one row `'true'` when it removed a live record, `'false'` for an expired one, none when absent. */
  readonly destroy: Statement;
  /** [owner, now] → id and the record's columns of each live session of the owner. */
  readonly listByOwner: Statement;
  /** [owner, except or NULL, now] → the number of live sessions removed. */
  readonly destroyByOwner: Statement;
  /** [after id, now, limit] → the next live IDs in ID order. */
  readonly ids: Statement;
  /** [now, limit] → the number of expired rows removed (at most limit). */
  readonly prune: Statement;
}

function statement(operation: string, text: string): Statement {
  // Named statements are per connection: the hash keeps two tables' statements apart.
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  return { name: `tessera_${operation}_${hash}`, text };
}

/** Builds the statements for `table` (already quoted and qualified). */
export function buildStatements(table: string): Statements {
  const make = (operation: string, text: string) => statement(operation, text.replaceAll("{table}", table));
  return {
    get: make("get", `SELECT ${RECORD_COLUMNS} FROM {table} WHERE id = $1::text AND expires_at > $2::text::timestamptz`),
    create: make(
      "create",
      `INSERT INTO {table} AS s (id, data, created_at, last_seen_at, expires_at, owner, remember_me_seconds)
VALUES ($1::text, ${recordValues(2)})
ON CONFLICT (id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at, last_seen_at = excluded.last_seen_at,
  expires_at = excluded.expires_at, owner = excluded.owner, remember_me_seconds = excluded.remember_me_seconds
WHERE s.expires_at <= $8::text::timestamptz`,
    ),
    replace: make(
      "replace",
      `UPDATE {table} SET (data, created_at, last_seen_at, expires_at, owner, remember_me_seconds) = (${recordValues(2)})
WHERE id = $1::text AND expires_at > $8::text::timestamptz`,
    ),
    patch: make(
      "patch",
      `UPDATE {table} SET data = (data || $2::text::jsonb) - ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)),
  last_seen_at = $4::text::timestamptz, expires_at = $5::text::timestamptz
WHERE id = $1::text AND expires_at > $6::text::timestamptz`,
    ),
    touch: make(
      "touch",
      `UPDATE {table} SET last_seen_at = $2::text::timestamptz, expires_at = $3::text::timestamptz
WHERE id = $1::text AND expires_at > $4::text::timestamptz`,
    ),
    destroy: make("destroy", `DELETE FROM {table} WHERE id = $1::text RETURNING (expires_at > $2::text::timestamptz)::text`),
    listByOwner: make(
      "list_by_owner",
      `SELECT id, ${RECORD_COLUMNS} FROM {table} WHERE owner = $1::text AND expires_at > $2::text::timestamptz`,
    ),
    destroyByOwner: make(
      "destroy_by_owner",
      `DELETE FROM {table} WHERE owner = $1::text AND id IS DISTINCT FROM $2::text AND expires_at > $3::text::timestamptz`,
    ),
    ids: make(
      "ids",
      `SELECT id FROM {table} WHERE id > $1::text AND expires_at > $2::text::timestamptz ORDER BY id LIMIT $3::text::integer`,
    ),
    prune: make(
      "prune",
      `DELETE FROM {table} WHERE id IN (
  SELECT id FROM {table} WHERE expires_at <= $1::text::timestamptz ORDER BY expires_at LIMIT $2::text::integer FOR UPDATE SKIP LOCKED
)`,
    ),
  };
}
