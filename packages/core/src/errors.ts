/**
 * Every error Tessera throws or rejects with is a {@link SessionError}: one class, a stable `code`
 * to branch on, and the original failure in `cause`.
 */

/** The stable codes a {@link SessionError} can carry. */
export type SessionErrorCode =
  /** A configuration mistake, thrown from a factory before the first request. */
  | "INVALID_CONFIG"
  /** The app called the session API with an argument it cannot accept. */
  | "INVALID_ARGUMENT"
  /** The store failed (connection refused, command error, ...). `cause` holds the original error. */
  | "STORE_UNAVAILABLE"
  /** The store did not answer within the configured time. */
  | "STORE_TIMEOUT"
  /** The serialized session is larger than the configured limit; nothing was written. */
  | "PAYLOAD_TOO_LARGE"
  /** Freshly generated session IDs kept colliding with existing records (a broken random source). */
  | "ID_COLLISION"
  /** The CSRF check refused an unsafe request (status 403); `reason` says which check failed. */
  | "CSRF_REJECTED";

/** Prefix of every message, so log searches find them. */
export const MESSAGE_PREFIX = "[tessera]";

/** The one error type of Tessera. Branch on `code`, not on the message. */
export class SessionError extends Error {
  override readonly name = "SessionError";
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * The HTTP status a framework should answer with: 503 when the store failed or timed out (the
   * request may succeed later), 403 for a refused CSRF check, 500 otherwise. Express's and Koa's
   * error handlers read `status`, so a store outage becomes a 503 without extra code.
   */
  get status(): number {
    if (this.#status !== undefined) return this.#status;
    if (this.code === "CSRF_REJECTED") return 403;
    return this.code === "STORE_UNAVAILABLE" || this.code === "STORE_TIMEOUT" ? 503 : 500;
  }

  /** Frameworks may record the status they answered with (Koa's error handler assigns it). */
  set status(value: number) {
    this.#status = value;
  }

  #status: number | undefined;
}

/**
 * True for a {@link SessionError}, including one created by another copy of `@tessera/core`
 * (where `instanceof` fails because the class is a different object).
 */
export function isSessionError(value: unknown): value is SessionError {
  return (
    value instanceof SessionError ||
    (typeof value === "object" &&
      value !== null &&
      (value as { name?: unknown }).name === "SessionError" &&
      typeof (value as { code?: unknown }).code === "string")
  );
}

/** Builds the `[tessera] [source] message` text used across packages. */
export function formatMessage(source: string | undefined, message: string): string {
  return source ? `${MESSAGE_PREFIX} [${source}] ${message}` : `${MESSAGE_PREFIX} ${message}`;
}

/** Shorthand for a configuration error (code `INVALID_CONFIG`). */
export function configError(message: string, source?: string): SessionError {
  return new SessionError("INVALID_CONFIG", formatMessage(source, message));
}
