/** One small interface over the supported clients, so the store's logic is written once. */

/** Which library (and, for node-postgres, which object) a client is. */
export type ClientKind = "pg-pool" | "pg-client" | "postgres-js" | "pglite";

/** One SQL statement, prepared under `name` where the client supports named statements. */
export interface Statement {
  /**
   * Unique per SQL text (it includes a hash of it), so two stores on one connection never clash.
   * `undefined` for a statement run once (DDL), which is never prepared.
   */
  readonly name: string | undefined;
  readonly text: string;
}

/** The rows (as arrays, in select order) and the number of rows the statement affected. */
export interface QueryResult {
  readonly rows: readonly (readonly unknown[])[];
  readonly rowCount: number;
}

/** What the store needs from a client. Every parameter is text or NULL; the SQL casts it. */
export interface PostgresDriver {
  readonly kind: ClientKind;
  query(statement: Statement, params: readonly (string | null)[]): Promise<QueryResult>;
}
