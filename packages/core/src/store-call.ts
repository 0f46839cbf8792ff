/**
 * Every store call goes through here: failures become a `SessionError` (`STORE_UNAVAILABLE`, or
 * the store's own `SessionError`), a call that takes too long fails with `STORE_TIMEOUT`, and each
 * failure is also reported as a `store-error` event. Nothing is swallowed: a failure that arrives
 * after the timeout already fired is still reported as an event.
 *
 * Timeouts share one timer instead of arming one per call, because a `setTimeout` + `clearTimeout`
 * pair per store call is a large share of the read path. Calls are kept in start order, so the
 * first pending call always has the earliest deadline.
 */
import { formatMessage, isSessionError, SessionError } from "./errors.js";
import type { Store } from "./store.js";

/** Reports a failure (the manager turns it into a `store-error` event). */
export type StoreFailureReporter = (operation: string, error: SessionError) => void;

interface PendingCall {
  readonly operation: string;
  readonly deadline: number;
  readonly reject: (error: SessionError) => void;
  timedOut: boolean;
}

export class StoreCaller {
  readonly #store: Store;
  readonly #timeoutMs: number;
  readonly #report: StoreFailureReporter;
  readonly #pending = new Set<PendingCall>();
  #timer: unknown;

  constructor(store: Store, timeoutMs: number, report: StoreFailureReporter) {
    this.#store = store;
    this.#timeoutMs = timeoutMs;
    this.#report = report;
  }

  /** Runs `run` (one store operation named `operation`) under the error and timeout rules. */
  call<T>(operation: string, run: (store: Store) => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      result = run(this.#store);
    } catch (cause) {
      return Promise.reject(this.#failure(operation, cause));
    }
    if (this.#timeoutMs === 0) {
      return result.then(undefined, (cause: unknown) => {
        throw this.#failure(operation, cause);
      });
    }
    return new Promise<T>((resolve, reject) => {
      const call: PendingCall = { operation, deadline: Date.now() + this.#timeoutMs, reject, timedOut: false };
      this.#pending.add(call);
      if (this.#timer === undefined) this.#arm(this.#timeoutMs);
      result.then(
        (value) => {
          this.#pending.delete(call);
          if (!call.timedOut) resolve(value);
        },
        (cause: unknown) => {
          this.#pending.delete(call);
          // After a timeout the caller already has STORE_TIMEOUT; the late failure is still reported.
          const error = this.#failure(operation, cause);
          if (!call.timedOut) reject(error);
        },
      );
    });
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, delayMs));
    // Where timers can be unreferenced (Node, Bun, Deno), a pending deadline never keeps the process alive.
    (this.#timer as { unref?: () => void } | undefined)?.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    const at = Date.now();
    for (const call of this.#pending) {
      if (call.deadline > at) {
        this.#arm(call.deadline - at);
        return;
      }
      this.#pending.delete(call);
      call.timedOut = true;
      const error = new SessionError(
        "STORE_TIMEOUT",
        formatMessage(this.#store.name, `${call.operation} did not finish within ${this.#timeoutMs} ms.`),
      );
      this.#report(call.operation, error);
      call.reject(error);
    }
  }

  #failure(operation: string, cause: unknown): SessionError {
    const error = isSessionError(cause)
      ? cause
      : new SessionError(
          "STORE_UNAVAILABLE",
          formatMessage(this.#store.name, `${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`),
          { cause },
        );
    this.#report(operation, error);
    return error;
  }
}
