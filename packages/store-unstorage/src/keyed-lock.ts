/**
 * Runs operations on the same key one after another, within this process. A plain key-value
 * store has no "write only if present", so the store reads, checks and writes; the lock makes that
 * sequence atomic against other operations of the same process (and so concurrent patches of
 * different keys from one process both survive). It cannot order operations of other processes.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `operation` once every earlier operation on `key` has settled. */
  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? operation() : previous.then(operation);
    // The chain only orders operations; each caller receives its own result or failure through
    // `result`, so the tail settles either way.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every operation queued so far has settled. */
  async settled(): Promise<void> {
    await Promise.all(this.#tails.values());
  }

  /** Number of keys with operations queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
