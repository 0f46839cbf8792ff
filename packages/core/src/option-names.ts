/**
 * `checkOptionNames`: the startup check an adapter runs on the options object it was given, so a
 * misspelled option (`idleTimeout`) or one of the replaced library's options that Tessera does not
 * support fails with `INVALID_CONFIG` instead of being silently ignored.
 */
import { configError } from "./errors.js";

/** Options of {@link checkOptionNames}. */
export interface OptionNamesSpec {
  /** Every option name the factory understands. */
  readonly known: readonly string[];
  /**
   * Names that are recognised (usually the replaced library's) but not supported, each with the
   * reason and what to do instead; the error message carries it.
   * @default {}
   */
  readonly unsupported?: Readonly<Record<string, string>>;
  /** Where the options go, for the message, e.g. `"koa"` or `"express"`. @default undefined */
  readonly source?: string;
}

/**
 * Options every adapter takes under the core's own names, next to the replaced library's options:
 * the manager options it passes through as they are, and `csrf`. Listed once, so a new core option
 * reaches every adapter's unknown-option check.
 */
export const SHARED_ADAPTER_OPTION_NAMES: readonly string[] = [
  "idleTimeoutSeconds",
  "absoluteTimeoutSeconds",
  "touchAfterSeconds",
  "rememberMeSeconds",
  "maxPayloadBytes",
  "storeTimeoutMs",
  "headerName",
  "now",
  "onEvent",
  "tokenFormats",
  "writeTokenFormat",
  "loginTokens",
  "csrf",
];

/** Edit distance between two short names (case-insensitive), for the "did you mean" hint. */
function distance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] as number) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] as number;
}

/**
 * The known name a typo most likely meant: one that starts with it or contains it (`idleTimeout` →
 * `idleTimeoutSeconds`), else the nearest within a third of its length. `undefined` when none is close.
 */
export function closestOptionName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  if (lower.length >= 3) {
    const containing = known.filter((candidate) => candidate.toLowerCase().includes(lower));
    if (containing.length > 0) return containing.reduce((best, candidate) => (candidate.length < best.length ? candidate : best));
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws `INVALID_CONFIG` for the first own key of `options` (whose value is not `undefined`) that
 * is unsupported (with its reason) or unknown (with the closest known name, if any).
 */
export function checkOptionNames(options: object, spec: OptionNamesSpec): void {
  const unsupported = spec.unsupported ?? {};
  for (const name of Object.keys(options)) {
    if ((options as Record<string, unknown>)[name] === undefined || spec.known.includes(name)) continue;
    const reason = Object.hasOwn(unsupported, name) ? unsupported[name] : undefined;
    if (reason !== undefined) throw configError(`option \`${name}\` is not supported: ${reason}`, spec.source);
    const closest = closestOptionName(name, spec.known);
    throw configError(
      closest === undefined
        ? `unknown option \`${name}\`; the options are ${spec.known.map((known) => `\`${known}\``).join(", ")}.`
        : `unknown option \`${name}\`; did you mean \`${closest}\`?`,
      spec.source,
    );
  }
}
