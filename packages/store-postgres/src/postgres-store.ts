/**
 * `postgresStore({ client })`: the store port on PostgreSQL through the client the app already has.
 * One row per session; every operation is one statement (see `statements.ts`), whose affected-row
 * count is the answer: no read-modify-write and no transaction round trips.
 */
import type { OwnedSession, SessionActivity, SessionError, SessionPatch, Store, StoreCapabilities } from "@tessera/core";
import { driverFor } from "./detect-client.js";
import type { ClientKind } from "./driver.js";
import { createDeadline } from "./failure.js";
import { qualifiedName } from "./identifiers.js";
import { configError, STORE_NAME } from "./messages.js";
import { type PostgresStoreOptions, resolveOptions } from "./options.js";
import { decodeRecord, encodeData, encodeKeys, isoTime, recordParams } from "./record-codec.js";
import { schemaObjects } from "./schema.js";
import { buildStatements } from "./statements.js";

/** A PostgreSQL store: the whole store port (every optional method included), pruning, and a few read-only facts. */
export interface PostgresStore extends Store {
  patch(id: string, patch: SessionPatch): Promise<boolean>;
  touch(id: string, activity: SessionActivity): Promise<boolean>;
  listByOwner(owner: string): Promise<OwnedSession[]>;
  destroyByOwner(owner: string, options?: { except?: string }): Promise<number>;
  ids(): AsyncIterable<string>;
  /**
   * Deletes expired rows in batches of `batchSize` (each batch one statement, skipping rows another
   * pruner holds) until a batch comes back short. Resolves how many rows it deleted.
   */
  prune(): Promise<number>;
  /** Stops the prune timer and waits for a running prune. Never closes the client. */
  dispose(): Promise<void>;
  /** The table in use, quoted and qualified as it appears in the SQL. */
  readonly table: string;
  /** Which client was detected: `pg-pool`, `pg-client`, `postgres-js` or `pglite`. */
  readonly clientKind: ClientKind;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  patch: true,
  touch: true,
  ownerIndex: true,
  // Rows past expires_at are never read, listed or counted, whether or not prune() removed them yet.
  nativeTtl: true,
  atomicConditionalWrites: true,
});

/** SQLSTATEs of a concurrent `CREATE ... IF NOT EXISTS` that lost the race: the object exists now. */
const ALREADY_CREATED = new Set(["23505", "42P07", "42710"]);

/**
 * Creates a PostgreSQL store. Throws `INVALID_CONFIG` at once for a missing or unsupported client
 * or a bad option.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const sessions = createSessionManager({ secrets, store: postgresStore({ client: pool, createTableIfMissing: true }) });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  if (typeof options !== "object" || options === null) {
    throw configError("postgresStore() needs an options object: postgresStore({ client, tableName? }).");
  }
  const resolved = resolveOptions(options);
  const driver = driverFor(options.client, resolved.prepareStatements);
  const table = qualifiedName(resolved.tableName, resolved.schemaName);
  const sql = buildStatements(table);
  const run = createDeadline(resolved.queryTimeoutMs, table);
  const batchLimit = String(resolved.batchSize);
  const now = () => isoTime(Date.now());

  let tableReady: Promise<void> | undefined;
  /**
   * With createTableIfMissing, creates what is missing once, before the first operation (again
   * after a failure). Existing objects are looked up first, so no "already exists" notice is raised.
   */
  function ensureTable(): Promise<void> | undefined {
    if (!resolved.createTableIfMissing) return undefined;
    tableReady ??= (async () => {
      const objects = schemaObjects({ tableName: resolved.tableName, schemaName: resolved.schemaName });
      const lookup = objects.map((_, i) => `(to_regclass($${i + 1}::text) IS NOT NULL)::text`).join(", ");
      const { rows } = await driver.query(
        { name: undefined, text: `SELECT ${lookup}` },
        objects.map((object) => object.name),
      );
      const missing = objects.filter((_, i) => rows[0]?.[i] !== "true");
      for (const { ddl } of missing) {
        try {
          await driver.query({ name: undefined, text: ddl }, []);
        } catch (error) {
          const state = (error as { code?: unknown } | null)?.code;
          if (!(typeof state === "string" && ALREADY_CREATED.has(state))) throw error;
        }
      }
    })().catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    });
    return tableReady;
  }

  /** Runs one statement of `operation` under the deadline; resolves the driver's result. */
  function query(operation: string, statement: (typeof sql)[keyof typeof sql], params: Array<string | null>) {
    return run(operation, async () => {
      await ensureTable();
      return driver.query(statement, params);
    });
  }

  let pruning: Promise<number> | undefined;
  async function pruneAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await query("prune", sql.prune, [now(), batchLimit]);
      total += rowCount;
      if (rowCount < resolved.batchSize) return total;
    }
  }
  function prune(): Promise<number> {
    // One prune at a time per store: a timed run and a manual call share the same work.
    pruning ??= pruneAll().finally(() => {
      pruning = undefined;
    });
    return pruning;
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  if (resolved.pruneIntervalSeconds > 0) {
    timer = setInterval(() => {
      prune().catch((error: unknown) => resolved.onPruneError?.(error as SessionError));
    }, resolved.pruneIntervalSeconds * 1_000);
    // Pruning never keeps the process alive by itself.
    timer.unref?.();
  }

  return {
    name: STORE_NAME,
    capabilities: CAPABILITIES,
    table,
    clientKind: driver.kind,

    async get(id) {
      const { rows } = await query("get", sql.get, [id, now()]);
      const row = rows[0];
      return row === undefined ? null : decodeRecord(id, row);
    },

    async create(id, record) {
      const params = [id, ...recordParams(record), now()];
      return (await query("create", sql.create, params)).rowCount === 1;
    },

    async replace(id, record) {
      const params = [id, ...recordParams(record), now()];
      return (await query("replace", sql.replace, params)).rowCount === 1;
    },

    async patch(id, patch) {
      const params = [id, encodeData(patch.set), encodeKeys(patch.unset), isoTime(patch.lastSeenAt), isoTime(patch.expiresAt), now()];
      return (await query("patch", sql.patch, params)).rowCount === 1;
    },

    async touch(id, activity) {
      const params = [id, isoTime(activity.lastSeenAt), isoTime(activity.expiresAt), now()];
      return (await query("touch", sql.touch, params)).rowCount === 1;
    },

    async destroy(id) {
      // The row goes either way (an expired one too); the answer is whether it was still live.
      const { rows } = await query("destroy", sql.destroy, [id, now()]);
      return rows[0]?.[0] === "true";
    },

    async listByOwner(owner) {
      const { rows } = await query("listByOwner", sql.listByOwner, [owner, now()]);
      return rows.map((row) => {
        const id = String(row[0]);
        return { id, record: decodeRecord(id, row, 1) };
      });
    },

    async destroyByOwner(owner, destroyOptions) {
      const except = destroyOptions?.except ?? null;
      return (await query("destroyByOwner", sql.destroyByOwner, [owner, except, now()])).rowCount;
    },

    async *ids() {
      let after = "";
      for (;;) {
        const { rows } = await query("ids", sql.ids, [after, now(), batchLimit]);
        for (const row of rows) yield String(row[0]);
        const last = rows.at(-1);
        if (last === undefined || rows.length < resolved.batchSize) return;
        after = String(last[0]);
      }
    },

    prune,

    async dispose() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await pruning?.catch(() => undefined);
    },
  };
}
