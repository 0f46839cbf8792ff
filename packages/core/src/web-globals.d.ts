/**
 * The Web-standard globals the core uses, declared here because the core compiles with
 * `"types": []` and no DOM lib: nothing Node-only (or browser-only) can be used by accident.
 * Each exists on Node >= 20, Deno, Bun, Cloudflare Workers and browsers.
 */
declare global {
  class TextEncoder {
    encode(input?: string): Uint8Array;
    encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean });
    decode(input?: Uint8Array): string;
  }
  const crypto: {
    getRandomValues<T extends Uint8Array>(array: T): T;
    readonly subtle: unknown;
  };
  function setTimeout(callback: () => void, ms?: number): unknown;
  function clearTimeout(handle: unknown): void;
  function queueMicrotask(callback: () => void): void;
}

export {};
