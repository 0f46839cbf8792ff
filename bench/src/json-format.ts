/**
 * JSON laid out as the repository's formatter (Biome, line width 140) lays it out, so a written
 * `results.json` passes `biome check` as is: objects one member per line, arrays on one line when
 * they fit.
 */

const LINE_WIDTH = 140;

function format(value: unknown, indent: string, prefixLength: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((item) => format(item, inner, 0)).join(", ")}]`;
    if (!flat.includes("\n") && prefixLength + flat.length <= LINE_WIDTH) return flat;
    return `[\n${value.map((item) => `${inner}${format(item, inner, inner.length)}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, v]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return `${head}${format(v, inner, head.length)}`;
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

export function formatJson(value: unknown): string {
  return `${format(value, "", 0)}\n`;
}

/** A copy of `value` with every non-integer number rounded to `digits` decimals (figures, not noise). */
export function roundNumbers(value: unknown, digits = 4): unknown {
  if (typeof value === "number") return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toFixed(digits));
  if (Array.isArray(value)) return value.map((item) => roundNumbers(item, digits));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, roundNumbers(item, digits)]));
  }
  return value;
}
