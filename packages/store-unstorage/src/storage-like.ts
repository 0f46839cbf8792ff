/**
 * The part of an unstorage `Storage` the store uses, typed structurally so any `Storage`
 * (`createStorage()`, `createStorage<string>()`, `prefixStorage(...)`) is accepted without a
 * runtime dependency on unstorage.
 */

/** Options unstorage passes to the driver's `setItem`; `ttl` is in seconds. */
export interface SetItemOptions {
  ttl?: number;
}

/** An unstorage (v1) `Storage`, or anything with the same methods. */
export interface UnstorageLike {
  getItem(key: string): Promise<unknown>;
  setItem(key: string, value: string, options?: SetItemOptions): Promise<void>;
  removeItem(key: string): Promise<void>;
  getKeys(base?: string): Promise<string[]>;
  /** The mount that serves `key` (unstorage >= 1.0); used to recognise the driver. */
  getMount?(key?: string): { base: string; driver: { name?: string } };
}
