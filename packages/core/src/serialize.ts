/**
 * JSON serialization of session values, with the errors an app needs to fix its data, and the
 * UTF-8 size used by the payload limit.
 */
import { formatMessage, SessionError } from "./errors.js";

/**
 * Serializes one top-level session value. Throws `INVALID_ARGUMENT` for values JSON cannot hold
 * (functions, symbols, BigInt, cycles), naming the key.
 */
export function serializeValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new SessionError(
      "INVALID_ARGUMENT",
      formatMessage(undefined, `session key ${JSON.stringify(key)} cannot be stored: ${(cause as Error).message}`),
      { cause },
    );
  }
  if (json === undefined) {
    throw new SessionError(
      "INVALID_ARGUMENT",
      formatMessage(undefined, `session key ${JSON.stringify(key)} holds a ${typeof value}, which JSON cannot store.`),
    );
  }
  return json;
}

/** Number of bytes `text` takes in UTF-8, without allocating. */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // 4 bytes for the pair, counted as 2 code units already
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}
