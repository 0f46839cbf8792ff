-- The session table of @tessera/store-postgres, for teams that run migrations themselves.
-- Default names (table tessera_sessions, the connection search_path); for others, generate the same
-- DDL with createTableSql({ tableName, schemaName }) from the package. Every statement is idempotent.
--
-- data holds one key per top-level session key; each value is that value as JSON text, so every
-- value JavaScript can serialize round-trips exactly (jsonb alone rejects \u0000 and unpaired
-- surrogates and normalizes numbers). The store compares expires_at with the app clock; rows past
-- it are never read, and prune() (or pruneIntervalSeconds) deletes them in batches.

CREATE TABLE IF NOT EXISTS "tessera_sessions" (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  owner text,
  remember_me_seconds double precision
);

CREATE INDEX IF NOT EXISTS "tessera_sessions_expires_at_idx" ON "tessera_sessions" (expires_at);

CREATE INDEX IF NOT EXISTS "tessera_sessions_owner_idx" ON "tessera_sessions" (owner) WHERE owner IS NOT NULL;
