/**
 * The table and its indexes. `createTableSql()` is what `createTableIfMissing` runs and what
 * `sql/create-table.sql` holds for the default names (a test keeps the two identical).
 */
import { qualifiedName, quoteIdentifier } from "./identifiers.js";
import { DEFAULT_TABLE_NAME } from "./options.js";

/** Where the table lives. */
export interface TableLocation {
  /**
   * The table's name, used verbatim (quoted).
   * @default "tessera_sessions"
   */
  tableName?: string;
  /**
   * The schema holding the table.
   * @default the connection's `search_path` (usually `public`)
   */
  schemaName?: string;
}

/**
 * The DDL for the session table, one statement per entry, each idempotent (`IF NOT EXISTS`).
 * Run them in a migration, or let the store run them with `createTableIfMissing: true`.
 *
 * @example
 * ```ts
 * for (const statement of createTableSql({ tableName: "sessions" })) await pool.query(statement);
 * ```
 */
export function createTableSql(location: TableLocation = {}): string[] {
  return schemaObjects(location).map((object) => object.ddl);
}

/** One object of the schema: its qualified name (for `to_regclass`) and the DDL creating it. */
export interface SchemaObject {
  readonly name: string;
  readonly ddl: string;
}

/** The table and its two indexes, in creation order. */
export function schemaObjects(location: TableLocation = {}): SchemaObject[] {
  const name = location.tableName ?? DEFAULT_TABLE_NAME;
  const table = qualifiedName(name, location.schemaName);
  const index = (suffix: string) => qualifiedName(`${name}_${suffix}`, location.schemaName);
  const indexName = (suffix: string) => quoteIdentifier(`${name}_${suffix}`);
  return [
    {
      name: table,
      ddl: `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  owner text,
  remember_me_seconds double precision
)`,
    },
    { name: index("expires_at_idx"), ddl: `CREATE INDEX IF NOT EXISTS ${indexName("expires_at_idx")} ON ${table} (expires_at)` },
    { name: index("owner_idx"), ddl: `CREATE INDEX IF NOT EXISTS ${indexName("owner_idx")} ON ${table} (owner) WHERE owner IS NOT NULL` },
  ];
}
