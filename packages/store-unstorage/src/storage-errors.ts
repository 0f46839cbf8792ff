/**
 * Maps a failure of the storage (its driver, really) onto the core's typed errors. Drivers throw
 * whatever their client throws, so only the common timeout shapes are recognised as
 * `STORE_TIMEOUT`; everything else is `STORE_UNAVAILABLE`. The session manager's `storeTimeoutMs`
 * bounds every call in any case.
 */
import { isSessionError, SessionError } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** True for the usual timeout errors: a `TimeoutError` (fetch, AbortSignal.timeout) or `ETIMEDOUT`. */
export function isTimeoutError(error: unknown): boolean {
  const { name, code } = typeof error === "object" && error !== null ? (error as ErrorShape) : {};
  return name === "TimeoutError" || code === "ETIMEDOUT";
}

/**
 * The `SessionError` for a failed operation, naming the driver, with the original error as
 * `cause`. A `SessionError` passes through.
 */
export function toStoreError(operation: string, driverName: string | undefined, error: unknown): SessionError {
  if (isSessionError(error)) return error;
  const timeout = isTimeoutError(error);
  const message = typeof error === "object" && error !== null ? (error as ErrorShape).message : undefined;
  const detail = typeof message === "string" && message !== "" ? message : String(error);
  const driver = driverName === undefined ? "" : ` (${driverName} driver)`;
  return new SessionError(
    timeout ? "STORE_TIMEOUT" : "STORE_UNAVAILABLE",
    formatMessage("unstorage", `${operation} ${timeout ? "timed out" : "failed"}${driver}: ${detail}`),
    { cause: error },
  );
}
