/** Tiny argv helpers for the benchmark's entry points (flags `--name value` and `--flag`). */

export function hasFlag(args: readonly string[], name: string): boolean {
  return args.includes(`--${name}`);
}

export function stringOption(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
  return value;
}

export function numberOption(args: readonly string[], name: string, fallback: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}
