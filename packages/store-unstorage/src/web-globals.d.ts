/**
 * The Web-standard globals this package uses, declared here because it compiles with
 * `"types": []` and no DOM lib, so nothing Node-only can be used by accident. Each exists on
 * Node >= 20, Deno, Bun, Cloudflare Workers and browsers.
 */
declare global {
  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
  const crypto: {
    readonly subtle: {
      digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
    };
  };
}

export {};
