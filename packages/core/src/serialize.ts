/**
 * JSON serialization of session values, with the errors an app needs to fix its data, and the
 * UTF-8 size used by the payload limit.
 */
import { formatMessage, SessionError } from "./errors.js";
import { findJsonLoss, type JsonLoss } from "./json-check.js";

/** What every refusal ends with: what a session value may hold. */
const STORABLE_VALUES =
  "Session values must survive JSON: plain objects, arrays, strings, finite numbers, booleans and null, or objects with a toJSON() method (a Date is stored as its ISO string).";

/**
 * Serializes one top-level session value. Throws `INVALID_ARGUMENT` when JSON would not give the
 * value back (a Map, NaN, a function, a cycle, ...: see `findJsonLoss`), naming the key and the
 * path inside it, so nothing is stored silently changed.
 */
export function serializeValue(key: string, value: unknown): string {
  let loss: JsonLoss | undefined;
  let json: string | undefined;
  try {
    loss = findJsonLoss(value, key);
    if (loss === undefined) json = JSON.stringify(value);
  } catch (cause) {
    // A getter or a toJSON() method threw.
    throw new SessionError("INVALID_ARGUMENT", cannotStore(key, (cause as Error).message), { cause });
  }
  if (loss !== undefined) {
    throw new SessionError("INVALID_ARGUMENT", cannotStore(key, `${loss.path} is ${loss.description}. ${STORABLE_VALUES}`));
  }
  // findJsonLoss refuses every top-level value that JSON.stringify turns into nothing.
  return json as string;
}

function cannotStore(key: string, reason: string): string {
  return formatMessage(undefined, `session key ${JSON.stringify(key)} cannot be stored: ${reason}`);
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
