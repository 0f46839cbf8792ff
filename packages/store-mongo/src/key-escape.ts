/**
 * Reversible escaping of data keys, so any JSON key can be a MongoDB field name and a `$set` path.
 *
 * MongoDB reads `.` in a path as nesting, a leading `$` as an operator, forbids NUL in field names
 * (BSON stores them as C strings), and an empty segment makes `data.` an invalid path. `__proto__`
 * is escaped too, so no decoded object is ever built from a field that JavaScript treats specially.
 *
 * The scheme is percent-style with `%` as the escape character: `%`, `.` and NUL anywhere, and `$`
 * in first position, become `%` plus two upper-case hex digits. Because every `%` in an escaped key
 * is followed by two hex digits, the lone `%` is free to stand for the empty key. Ordinary keys
 * (`userId`, `cart`) are left as they are, so documents stay readable and queryable.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters a field name cannot hold.
const ESCAPED_CHARS = /[%.\u0000]/g;
const ESCAPE_SEQUENCE = /%([0-9A-F]{2})/g;
/** Stands for the empty key, which cannot be a path segment. */
const EMPTY_KEY = "%";
const PROTO = "__proto__";
/** `__proto__` with its first `_` escaped. */
const ESCAPED_PROTO = "%5F_proto__";

function hex(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Escapes one key so it contains no `.` or NUL, does not start with `$`, and is not empty. */
export function escapeKey(key: string): string {
  if (key === "") return EMPTY_KEY;
  if (key === PROTO) return ESCAPED_PROTO;
  const escaped = key.replace(ESCAPED_CHARS, hex);
  return escaped.charCodeAt(0) === 0x24 /* $ */ ? `%24${escaped.slice(1)}` : escaped;
}

/**
 * Reverses {@link escapeKey}. A `%` that does not start an escape sequence (a field written by
 * something else) is kept as it is.
 */
export function unescapeKey(key: string): string {
  if (key === EMPTY_KEY) return "";
  if (!key.includes("%")) return key;
  return key.replace(ESCAPE_SEQUENCE, (_match, code: string) => String.fromCharCode(Number.parseInt(code, 16)));
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON value with every object key escaped, at every depth. */
export function escapeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(escapeValue);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) defineOwn(out, escapeKey(key), escapeValue((value as Record<string, unknown>)[key]));
  return out;
}

/**
 * Reverses {@link escapeValue}. Keys are defined as own properties, so a decoded `__proto__` is
 * data, never the object's prototype.
 */
export function unescapeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unescapeValue);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) defineOwn(out, unescapeKey(key), unescapeValue((value as Record<string, unknown>)[key]));
  return out;
}
