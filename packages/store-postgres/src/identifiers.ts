/** Quoting of the table and schema names the app chooses, so any name is used verbatim and safely. */
import { configError } from "./messages.js";

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Throws `INVALID_CONFIG` unless `value` is a usable identifier of at most `maxBytes` UTF-8 bytes;
 * `option` names it in the message.
 */
export function checkIdentifier(option: string, value: unknown, maxBytes = MAX_IDENTIFIER_BYTES): string {
  if (typeof value !== "string" || value.length === 0)
    throw configError(`\`${option}\` must be a non-empty string, got ${JSON.stringify(value)}.`);
  if (value.includes("\u0000")) throw configError(`\`${option}\` must not contain a NUL character.`);
  if (new TextEncoder().encode(value).length > maxBytes) {
    throw configError(`\`${option}\` must be at most ${maxBytes} bytes (PostgreSQL truncates longer names), got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** `"name"` with embedded double quotes doubled: the SQL-standard quoting, case preserved. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The quoted, optionally schema-qualified name. */
export function qualifiedName(name: string, schema: string | undefined): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}
