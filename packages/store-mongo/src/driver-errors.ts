/**
 * Maps MongoDB driver failures onto the core's typed errors. Recognised by `name` and `code`
 * rather than `instanceof`, so the mapping works with any driver version (6.x, 7.x) and with two
 * copies of the driver in one app.
 *
 * - `STORE_TIMEOUT`: the operation started but did not finish in time: a socket timeout
 *   (`socketTimeoutMS`, `MongoNetworkTimeoutError`), the server's `maxTimeMS` limit (code 50,
 *   `MaxTimeMSExpired`; 262 `ExceededTimeLimit`), the driver's client-side operation timeout
 *   (`MongoOperationTimeoutError`), or a write concern timeout (`wtimeout`, code 64).
 * - `STORE_UNAVAILABLE`: everything else: no server could be selected (`serverSelectionTimeoutMS`,
 *   30 s by default), a closed connection or client, a command error.
 */
import { isSessionError, SessionError, type SessionErrorCode } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";

/** Server error codes that mean "ran out of time". */
const TIMEOUT_CODES = new Set([50, 262, 64]);
/** Driver error classes that mean "ran out of time". */
const TIMEOUT_NAMES = new Set(["MongoNetworkTimeoutError", "MongoOperationTimeoutError"]);
/** Server error codes of a duplicate `_id`. */
const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  codeName?: unknown;
  message?: unknown;
}

function shape(error: unknown): DriverErrorShape {
  return typeof error === "object" && error !== null ? (error as DriverErrorShape) : {};
}

/** True when `error` reports an insert whose `_id` already exists. */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = shape(error).code;
  return typeof code === "number" && DUPLICATE_KEY_CODES.has(code);
}

/** The core's code for a driver failure. */
export function classifyDriverError(error: unknown): SessionErrorCode {
  const { name, code, codeName } = shape(error);
  if (typeof name === "string" && TIMEOUT_NAMES.has(name)) return "STORE_TIMEOUT";
  if (typeof code === "number" && TIMEOUT_CODES.has(code)) return "STORE_TIMEOUT";
  if (codeName === "MaxTimeMSExpired" || codeName === "ExceededTimeLimit") return "STORE_TIMEOUT";
  return "STORE_UNAVAILABLE";
}

/**
 * The `SessionError` for a failed store operation, with the driver's error as `cause`. A
 * `SessionError` (already mapped, or a configuration problem found on the way) passes through.
 */
export function toStoreError(operation: string, error: unknown): SessionError {
  if (isSessionError(error)) return error;
  const code = classifyDriverError(error);
  const { name, message } = shape(error);
  const detail = typeof message === "string" && message !== "" ? message : String(error);
  const what = code === "STORE_TIMEOUT" ? "timed out" : "failed";
  const from = typeof name === "string" && name !== "" && name !== "Error" ? ` (${name})` : "";
  return new SessionError(code, formatMessage("mongodb", `${operation} ${what}${from}: ${detail}`), { cause: error });
}
