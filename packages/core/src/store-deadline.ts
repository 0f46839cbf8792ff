/**
 * `storeDeadline`: the wrapper a store puts around each call to its backend, so that a backend that
 * fails or stays silent gives a typed `SessionError` in the store's own words.
 *
 * A late answer after the deadline is ignored; a late failure is swallowed only because the caller
 * already received the timeout error for that same operation.
 */
import type { SessionError } from "./errors.js";

/** Runs `work` (the backend call for `operation`) under the deadline and error rules. */
export type StoreDeadline = <T>(operation: string, work: () => Promise<T>) => Promise<T>;

/** How a store bounds and names its backend failures. */
export interface StoreDeadlineOptions {
  /** Milliseconds to wait for an answer; `0` disables the timer (failures are still typed). */
  readonly timeoutMs: number;
  /** The typed error for `operation` failing with `cause` (thrown or rejected by the backend). */
  failure(operation: string, cause: unknown): SessionError;
  /** The typed error for `operation` getting no answer within `timeoutMs`, built when it fires. */
  timeout(operation: string): SessionError;
}

/** Creates the deadline wrapper for one store. */
export function storeDeadline(options: StoreDeadlineOptions): StoreDeadline {
  const { timeoutMs, failure, timeout } = options;
  return <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (cause) {
      return Promise.reject(failure(operation, cause));
    }
    if (timeoutMs === 0) {
      return pending.then(undefined, (cause: unknown) => {
        throw failure(operation, cause);
      });
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(timeout(operation));
      }, timeoutMs);
      // Where timers can be unreferenced (Node, Bun, Deno), a pending deadline never keeps the process alive.
      (timer as { unref?: () => void } | undefined)?.unref?.();
      pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (cause: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(failure(operation, cause));
        },
      );
    });
  };
}
