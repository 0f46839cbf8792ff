/**
 * Bounds every store operation in time and turns failures into the core's typed errors:
 * - a failure from the client → `STORE_UNAVAILABLE` with the client's error as `cause`;
 * - no answer within `commandTimeoutMs` while the client is disconnected → `STORE_UNAVAILABLE`
 *   (node-redis and ioredis queue commands while they reconnect, so a stopped server shows up as
 *   silence, not as an error);
 * - no answer within `commandTimeoutMs` while connected → `STORE_TIMEOUT` (Redis is blocked or
 *   overloaded).
 * A late answer after the deadline is ignored; a late failure is swallowed only because the caller
 * already received the timeout error for that same operation.
 */
import { isSessionError, type SessionError } from "@tessera/core";
import type { RedisDriver } from "./driver.js";
import { storeError } from "./messages.js";

export type Deadline = <T>(operation: string, work: () => Promise<T>) => Promise<T>;

function failure(operation: string, cause: unknown, driver: RedisDriver): SessionError {
  if (isSessionError(cause)) return cause;
  const problem = driver.connectionProblem();
  const detail = cause instanceof Error ? cause.message : String(cause);
  return storeError("STORE_UNAVAILABLE", `${operation} failed: ${detail}${problem ? ` (${problem})` : ""}`, cause);
}

function timeout(operation: string, timeoutMs: number, driver: RedisDriver): SessionError {
  const problem = driver.connectionProblem();
  return problem
    ? storeError("STORE_UNAVAILABLE", `${operation} got no answer within ${timeoutMs} ms: ${problem}. Is Redis running and reachable?`)
    : storeError(
        "STORE_TIMEOUT",
        `${operation} got no answer within ${timeoutMs} ms although the client is connected: Redis is blocked or overloaded (a slow command, CLIENT PAUSE, a long script).`,
      );
}

/** Creates the deadline wrapper for one store. `timeoutMs` 0 disables the timer (errors are still typed). */
export function createDeadline(driver: RedisDriver, timeoutMs: number): Deadline {
  return <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (cause) {
      return Promise.reject(failure(operation, cause, driver));
    }
    if (timeoutMs === 0) {
      return pending.then(undefined, (cause: unknown) => {
        throw failure(operation, cause, driver);
      });
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(timeout(operation, timeoutMs, driver));
      }, timeoutMs);
      // A pending deadline never keeps the process alive by itself.
      timer.unref?.();
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
          reject(failure(operation, cause, driver));
        },
      );
    });
  };
}
