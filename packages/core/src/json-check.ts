/**
 * Finds the first part of a value that a JSON round trip would not give back: a Map stored as
 * `{}`, NaN stored as `null`, a function silently dropped, a cycle. The walk follows
 * `JSON.stringify`'s own rules (it calls `toJSON()` where `JSON.stringify` would, and checks what
 * it returns), so a value it accepts is stored exactly as `JSON.stringify` writes it.
 *
 * Accepted on purpose, although they do not come back identical:
 * - objects with a `toJSON()` method (a Date reads back as its ISO string), as express-session
 *   and koa-session store them;
 * - object members holding `undefined` (dropped: reading the member gives `undefined` either way);
 * - `-0` (reads back as `0`, which `===` cannot tell apart);
 * - objects with a `null` prototype (read back as plain objects, with the same members);
 * - shared references (read back as separate, equal copies);
 * - symbol-keyed and non-enumerable properties (not data to JSON, nor to `Object.keys`).
 */

/** Where a value loses data in JSON, and what is there. */
export interface JsonLoss {
  /** JavaScript path from the root, e.g. `cart.items[2].added` for the root name `cart`. */
  readonly path: string;
  /** What the value is, e.g. `a Map`, `NaN`, `a circular reference to cart`. */
  readonly description: string;
}

/** A loss found deep in the walk; the path is collected, innermost segment first, on the way out. */
interface Found {
  readonly reversedPath: Array<string | number>;
  readonly description: string;
  /** For a cycle: how many segments lead from the root to the object referred back to. */
  readonly cycleDepth?: number;
}

/**
 * The first part of `value` that would not survive `JSON.parse(JSON.stringify(value))`, or
 * `undefined` when it all does (within the rules above). `rootName` starts the reported path.
 * Getters and `toJSON()` methods run, as they do in `JSON.stringify`; what they throw propagates.
 */
export function findJsonLoss(value: unknown, rootName: string): JsonLoss | undefined {
  // The common top-level values need no walk.
  if (typeof value === "string" || typeof value === "boolean" || value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path: rootName, description: String(value) };
  if (value === undefined) return { path: rootName, description: "undefined" };
  const problem = checkValue(value, "", [], false);
  if (problem === undefined) return undefined;
  const segments = problem.reversedPath.reverse();
  const description =
    problem.cycleDepth === undefined
      ? problem.description
      : `a circular reference to ${formatPath(rootName, segments.slice(0, problem.cycleDepth))}`;
  return { path: formatPath(rootName, segments), description };
}

/**
 * Checks a value where `JSON.stringify` would look for `toJSON`. `objectMember`: `undefined` is
 * accepted only as an object member (dropped there); in an array it would become `null`, and at
 * the top there would be nothing to store.
 */
function checkValue(value: unknown, holderKey: string, ancestors: object[], objectMember: boolean): Found | undefined {
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      if (value instanceof Date && toJSON === Date.prototype.toJSON) {
        // A valid Date becomes its ISO string; an invalid one becomes null.
        return Number.isNaN(value.getTime()) ? found("an invalid Date") : undefined;
      }
      const serialized: unknown = toJSON.call(value, holderKey);
      if (serialized === undefined && !objectMember) return found("an object whose toJSON() returns undefined");
      return checkSerialized(serialized, ancestors, objectMember);
    }
  }
  return checkSerialized(value, ancestors, objectMember);
}

/** Checks what `JSON.stringify` writes for `value`, once `toJSON` (if any) has run. */
function checkSerialized(value: unknown, ancestors: object[], objectMember: boolean): Found | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : found(String(value));
    case "undefined":
      return objectMember ? undefined : found("undefined");
    case "function":
      return found("a function");
    case "symbol":
      return found("a symbol");
    case "bigint":
      return found("a BigInt");
  }
  if (value === null) return undefined;
  const object = value as object;
  const cycleDepth = ancestors.indexOf(object);
  if (cycleDepth !== -1) return { reversedPath: [], description: "a circular reference", cycleDepth };
  if (Array.isArray(object)) {
    if (!isPlainArray(object)) return found(describeInstance(object));
    ancestors.push(object);
    const result = checkArray(object, ancestors);
    ancestors.pop();
    return result;
  }
  if (!isPlainObject(object)) return found(describeInstance(object));
  ancestors.push(object);
  const result = checkObject(object as Record<string, unknown>, ancestors);
  ancestors.pop();
  return result;
}

function checkArray(array: unknown[], ancestors: object[]): Found | undefined {
  for (let index = 0; index < array.length; index++) {
    const item = array[index];
    if (typeof item === "string" || typeof item === "boolean" || item === null) continue;
    if (typeof item === "number" && Number.isFinite(item)) continue;
    if (item === undefined && !(index in array)) return at(found("a hole in a sparse array"), index);
    const problem = checkValue(item, String(index), ancestors, false);
    if (problem !== undefined) return at(problem, index);
  }
  return undefined;
}

function checkObject(object: Record<string, unknown>, ancestors: object[]): Found | undefined {
  // for-in visits own members in Object.keys order without allocating their list; it also visits
  // inherited enumerable members (a polluted Object.prototype), which JSON skips, hence the hasOwn.
  for (const key in object) {
    const member = object[key];
    if (typeof member === "string" || typeof member === "boolean" || member === null || member === undefined) continue;
    if (typeof member === "number" && Number.isFinite(member)) continue;
    const problem = checkValue(member, key, ancestors, true);
    if (problem !== undefined && Object.hasOwn(object, key)) return at(problem, key);
  }
  return undefined;
}

/** A plain object: from this realm or another one (a `vm` context, an iframe), or with a null prototype. */
function isPlainObject(object: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype === Object.prototype || prototype === null) return true;
  return Object.getPrototypeOf(prototype) === null && (prototype as { constructor?: { name?: unknown } }).constructor?.name === "Object";
}

/** An array that is not an instance of a subclass of Array (which JSON would read back as a plain array). */
function isPlainArray(array: unknown[]): boolean {
  const prototype: unknown = Object.getPrototypeOf(array);
  return prototype === Array.prototype || (prototype as { constructor?: { name?: unknown } } | null)?.constructor?.name === "Array";
}

/** `a Map`, `an Error`, `a Foo`: the constructor's name, which is what an app developer recognises. */
function describeInstance(object: object): string {
  const name = (Object.getPrototypeOf(object) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if (typeof name !== "string" || name === "") return "an object with a custom prototype";
  const boxed = name === "Number" || name === "String" || name === "Boolean" ? " object" : "";
  return `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}${boxed}`;
}

function found(description: string): Found {
  return { reversedPath: [], description };
}

/** Adds the segment through which the walk reached `problem`. */
function at(problem: Found, segment: string | number): Found {
  problem.reversedPath.push(segment);
  return problem;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `cart.items[2]["content-type"]`: the path as it would be written in JavaScript. */
function formatPath(rootName: string, segments: ReadonlyArray<string | number>): string {
  let path = IDENTIFIER.test(rootName) ? rootName : `[${JSON.stringify(rootName)}]`;
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += IDENTIFIER.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return path;
}
