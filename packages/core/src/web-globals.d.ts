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
  /** The slice of Web Crypto's SubtleCrypto the sealed-cookie store uses (AES-GCM). */
  interface TesseraSubtleCrypto {
    importKey(
      format: "raw",
      keyData: Uint8Array,
      algorithm: "AES-GCM",
      extractable: false,
      usages: Array<"encrypt" | "decrypt">,
    ): Promise<unknown>;
    encrypt(
      algorithm: { name: "AES-GCM"; iv: Uint8Array; additionalData: Uint8Array },
      key: unknown,
      data: Uint8Array,
    ): Promise<ArrayBuffer>;
    decrypt(
      algorithm: { name: "AES-GCM"; iv: Uint8Array; additionalData: Uint8Array },
      key: unknown,
      data: Uint8Array,
    ): Promise<ArrayBuffer>;
  }
  const crypto: {
    getRandomValues<T extends Uint8Array>(array: T): T;
    readonly subtle: TesseraSubtleCrypto;
  };
  function setTimeout(callback: (...args: unknown[]) => void, ms?: number): unknown;
  function clearTimeout(handle: unknown): void;
  function queueMicrotask(callback: () => void): void;
  /** URL parsing: the CSRF check compares origins. */
  class URL {
    constructor(url: string, base?: string);
    readonly origin: string;
  }
  /** Form decoding: the CSRF form field of a URL-encoded body. */
  class URLSearchParams {
    constructor(init?: string);
    [Symbol.iterator](): IterableIterator<[string, string]>;
  }
}

export {};
