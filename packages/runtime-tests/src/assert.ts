/**
 * A small assertion module for the portable suite: no dependency, no Node API, so it runs
 * unchanged on workerd, Bun, Deno and Node. Every failure throws an `AssertionError` whose
 * message shows what was expected and what was found.
 */

/** Thrown by every failed assertion. */
export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function fail(message: string | undefined, detail: string): never {
  throw new AssertionError(message ? `${message}: ${detail}` : detail);
}

/** Structural equality of JSON-like values (primitives, arrays, plain objects). */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => isDeepEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && isDeepEqual(left[key], right[key]));
}

/** `actual` is `expected` (Object.is). */
export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
}

/** `actual` is not `unexpected` (Object.is). */
export function notEqual<T>(actual: T, unexpected: T, message?: string): void {
  if (Object.is(actual, unexpected)) fail(message, `expected anything but ${show(unexpected)}`);
}

/** `actual` and `expected` are structurally equal (see {@link isDeepEqual}). */
export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepEqual(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
}

/** `value` is truthy. */
export function ok(value: unknown, message?: string): void {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

/** `text` matches `pattern`. */
export function match(text: string | undefined, pattern: RegExp, message?: string): void {
  if (typeof text !== "string" || !pattern.test(text)) fail(message, `expected ${show(text)} to match ${pattern}`);
}

/** `text` does not match `pattern`. */
export function doesNotMatch(text: string | undefined, pattern: RegExp, message?: string): void {
  if (typeof text === "string" && pattern.test(text)) fail(message, `expected ${show(text)} not to match ${pattern}`);
}
