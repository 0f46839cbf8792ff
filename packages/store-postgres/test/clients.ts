/** Connects each supported client kind the way an app would, for the tests. */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import postgres from "postgres";

export type ClientName = "pg Pool" | "pg Client" | "postgres.js" | "PGlite";
export const SERVER_CLIENTS: readonly ClientName[] = ["pg Pool", "pg Client", "postgres.js"];

export interface TestClient {
  readonly name: ClientName;
  /** The client object to pass to postgresStore(). */
  readonly client: unknown;
  /** Runs one statement directly (for assertions that look at the table). */
  sql(text: string, params?: unknown[]): Promise<unknown[][]>;
  /** Resolves true while the client can still run a statement. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

function noop(): void {}

/** A connected client of kind `name` on `url` (PGlite ignores the URL: it is an embedded database). */
export async function connectClient(name: ClientName, url: string): Promise<TestClient> {
  switch (name) {
    case "pg Pool": {
      const pool = new pg.Pool({ connectionString: url, max: 5 });
      // An idle connection cut by a server restart is reported here; the next query reconnects.
      pool.on("error", noop);
      const sql = async (text: string, params: unknown[] = []) => (await pool.query({ text, values: params, rowMode: "array" })).rows;
      return { name, client: pool, sql, ping: () => ping(sql), close: () => pool.end() };
    }
    case "pg Client": {
      const client = new pg.Client({ connectionString: url });
      client.on("error", noop);
      await client.connect();
      const sql = async (text: string, params: unknown[] = []) => (await client.query({ text, values: params, rowMode: "array" })).rows;
      // Older pg releases (8.0.3 and 8.7.1 here) never settle end() once the server has died (the outage tests kill it), so closing waits at most a second.
      const close = () => Promise.race([client.end().catch(noop), new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
      return { name, client, sql, ping: () => ping(sql), close };
    }
    case "postgres.js": {
      const client = postgres(url, { max: 5, onnotice: noop });
      const sql = async (text: string, params: unknown[] = []) => (await client.unsafe(text, params as never[]).values()) as unknown[][];
      return { name, client, sql, ping: () => ping(sql), close: () => client.end({ timeout: 1 }) };
    }
    case "PGlite": {
      const db = await PGlite.create();
      const sql = async (text: string, params: unknown[] = []) => (await db.query<unknown[]>(text, params, { rowMode: "array" })).rows;
      return { name, client: db, sql, ping: () => ping(sql), close: () => db.close() };
    }
  }
}

async function ping(sql: (text: string) => Promise<unknown[][]>): Promise<boolean> {
  try {
    const rows = await sql("SELECT 1");
    return rows[0]?.[0] === 1;
  } catch {
    return false;
  }
}

/** A table name no other test uses. */
export function uniqueTable(label: string): string {
  return `t_${label.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}_${Math.random().toString(36).slice(2, 10)}`;
}
