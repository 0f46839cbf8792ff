/**
 * Bounds every store operation in time and turns failures into the core's typed errors:
 * - a failure from the client → `STORE_UNAVAILABLE` with the client's error as `cause`;
 * - no answer within `commandTimeoutMs` while the client is disconnected → `STORE_UNAVAILABLE`
 *   (node-redis and ioredis queue commands while they reconnect, so a stopped server shows up as
 *   silence, not as an error);
 * - no answer within `commandTimeoutMs` while connected → `STORE_TIMEOUT` (Redis is blocked or
 *   overloaded).
 * The timer and the late-answer rules are the core's `storeDeadline`.
 */
import { isSessionError, type SessionError, type StoreDeadline, storeDeadline } from "@tessera/core";
import type { RedisDriver } from "./driver.js";
import { storeError } from "./messages.js";

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
export function createDeadline(driver: RedisDriver, timeoutMs: number): StoreDeadline {
  return storeDeadline({
    timeoutMs,
    failure: (operation, cause) => failure(operation, cause, driver),
    timeout: (operation) => timeout(operation, timeoutMs, driver),
  });
}
