/**
 * What the session object an app holds reveals when it is logged, serialized, cloned or walked:
 * `exposureOf(object)` records it all inside a request; the assertions compare it with the secrets.
 */
import { inspect } from "node:util";

/** Everything the session object showed, taken while the request was running. */
export interface Exposure {
  /** `util.inspect` output by the name of its options. */
  readonly inspected: Readonly<Record<string, string>>;
  readonly json: string;
  /** Every value reachable by property access (own keys and symbols, prototypes, getters). */
  readonly reachable: readonly unknown[];
  /** Every property key met on the walk (symbols by their description). */
  readonly keys: readonly string[];
  /** `structuredClone`'s outcome: the copy's walk, or the error it threw. */
  readonly clone: { readonly copy: readonly unknown[] } | { readonly error: { name: string; message: string } };
}

/** The `util.inspect` options a log line or a debugger may use. */
export const INSPECT_VARIANTS: Readonly<Record<string, object>> = {
  "console.log defaults": {},
  "depth Infinity, hidden members": { depth: Number.POSITIVE_INFINITY, showHidden: true },
  "depth Infinity, hidden members, getters": { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true },
  showProxy: { depth: Number.POSITIVE_INFINITY, showProxy: true, showHidden: true },
  "customInspect off": { depth: Number.POSITIVE_INFINITY, customInspect: false, showHidden: true, showProxy: true },
};

/** Walks everything reachable from `root` by property access, as a curious app or a debugger would. */
export function reachableFrom(root: unknown): { values: unknown[]; keys: string[] } {
  const seen = new Set<unknown>();
  const values: unknown[] = [];
  const keys: string[] = [];
  const visit = (value: unknown, depth: number) => {
    values.push(value);
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return;
    if (seen.has(value) || depth > 12) return;
    seen.add(value);
    // The language's own prototypes hold nothing of the session's.
    if (value === Object.prototype || value === Function.prototype) return;
    visit(Object.getPrototypeOf(value), depth + 1);
    for (const key of Reflect.ownKeys(value)) {
      keys.push(typeof key === "symbol" ? (key.description ?? "") : key);
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor?.get) visit(descriptor.get, depth + 1);
      if (descriptor?.set) visit(descriptor.set, depth + 1);
      let child: unknown;
      try {
        child = (value as Record<PropertyKey, unknown>)[key];
      } catch {
        continue; // e.g. `caller` of a strict function
      }
      visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return { values, keys };
}

/** Takes every view of `session` a log line, a serializer, a clone or a property walk gives. */
export function exposureOf(session: object): Exposure {
  const inspected: Record<string, string> = {};
  for (const [name, options] of Object.entries(INSPECT_VARIANTS)) inspected[name] = inspect(session, options);
  const { values, keys } = reachableFrom(session);
  let clone: Exposure["clone"];
  try {
    clone = { copy: reachableFrom(structuredClone(session)).values };
  } catch (error) {
    const { name, message } = error as Error;
    clone = { error: { name, message } };
  }
  return { inspected, json: JSON.stringify(session), reachable: values, keys, clone };
}
