/** Error construction for this package: `[tessera] [postgres] ...` messages with the core's codes. */
import { SessionError, type SessionErrorCode } from "@tessera/core";

/** The store's name, in `Store.name` and in every message. */
export const STORE_NAME = "postgres";

export function message(text: string): string {
  return `[tessera] [${STORE_NAME}] ${text}`;
}

export function configError(text: string): SessionError {
  return new SessionError("INVALID_CONFIG", message(text));
}

export function argumentError(text: string): SessionError {
  return new SessionError("INVALID_ARGUMENT", message(text));
}

export function storeError(code: SessionErrorCode, text: string, cause?: unknown): SessionError {
  return new SessionError(code, message(text), cause === undefined ? undefined : { cause });
}
