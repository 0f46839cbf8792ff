/**
 * A `Map` with a size cap that forgets its oldest entries first (insertion order; reads do not
 * refresh). Used for the keyring's memory of verified tokens and the manager's record of recent
 * touches: both only need "recent", and both sit on the request path.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #maxEntries: number;
  /**
   * Kept across evictions, because a fresh iterator would rescan the slots of every entry deleted
   * since the table was last compacted; this one resumes at the oldest entry (entries never move).
   */
  #evictionCursor: Iterator<K> | undefined;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Adds or replaces an entry (a replaced entry keeps its age), evicting the oldest when full. */
  set(key: K, value: V): void {
    if (!this.#entries.has(key)) {
      while (this.#entries.size >= this.#maxEntries) {
        this.#evictionCursor ??= this.#entries.keys();
        const oldest = this.#evictionCursor.next();
        if (oldest.done) this.#evictionCursor = undefined;
        else this.#entries.delete(oldest.value);
      }
    }
    this.#entries.set(key, value);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
