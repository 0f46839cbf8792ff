/**
 * Reading an `application/x-www-form-urlencoded` body, for adapters whose framework leaves the
 * body to the app (Express, Koa) and that need the CSRF form field before the app's own parser runs.
 */
import { formatMessage, SessionError } from "./errors.js";

/** body-parser's and co-body's default limit for form bodies (100 KiB). */
export const FORM_BODY_LIMIT_BYTES = 100 * 1024;

/** Whether a `Content-Type` header names a URL-encoded form (parameters such as `charset` allowed). */
export function isUrlEncodedForm(contentType: string | null | undefined): boolean {
  if (typeof contentType !== "string") return false;
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/**
 * Reads a URL-encoded form from a byte stream (a Node request is one) as UTF-8, into an object
 * without a prototype, as `express.urlencoded({ extended: false })` gives it: a repeated field
 * becomes an array. A body over `limitBytes` fails with `INVALID_ARGUMENT` and status 413, as
 * body parsers answer it.
 */
export async function readUrlEncodedForm(
  stream: AsyncIterable<Uint8Array | string>,
  limitBytes: number = FORM_BODY_LIMIT_BYTES,
  source?: string,
): Promise<Record<string, string | string[]>> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const part = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    bytes += part.byteLength;
    // Past the limit the rest is read and dropped: leaving the loop early would destroy a Node request's socket before the 413 goes out.
    if (bytes <= limitBytes) chunks.push(part);
  }
  if (bytes > limitBytes) {
    const error = new SessionError("INVALID_ARGUMENT", formatMessage(source, `the form body is larger than ${limitBytes} bytes.`));
    error.status = 413;
    throw error;
  }
  const body = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(body);
  const form = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = form[name];
    form[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return form;
}

/** The value of field `name` in a parsed body (a form or JSON object), when it is a string; else `null`. */
export function formField(body: unknown, name: string): string | null {
  if (typeof body !== "object" || body === null || !Object.hasOwn(body, name)) return null;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}
