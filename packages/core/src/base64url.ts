/**
 * base64url without padding (RFC 4648 §5), on plain `Uint8Array`s so it runs on every runtime.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Maps a char code to its 6-bit value, or -1 when the character is not in the alphabet. */
const DECODE_TABLE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** The alphabet as char codes, for {@link encodeBase64url}. */
const ENCODE_TABLE = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));
/** Characters turned into a string per `String.fromCharCode` call (its arguments live on the stack). */
const CHARS_PER_CALL = 8192;
/** Output buffer reused by every call: encoding is synchronous. */
let scratch = new Uint8Array(64);

/**
 * Encodes bytes as unpadded base64url.
 *
 * The characters are collected as char codes and turned into one flat string at the end. Building
 * the result with `+=` made a rope (a tree of small strings) that the engine keeps as it is: a
 * session ID held as a memory-store key then cost about 400 bytes more, and every MAC comparison
 * first had to flatten its rope.
 */
export function encodeBase64url(bytes: Uint8Array): string {
  const length = bytes.length;
  const outLength = Math.ceil((length * 4) / 3);
  if (scratch.length < outLength) scratch = new Uint8Array(outLength);
  const out = scratch;
  let o = 0;
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE_TABLE[n >>> 18] as number;
    out[o++] = ENCODE_TABLE[(n >>> 12) & 63] as number;
    out[o++] = ENCODE_TABLE[(n >>> 6) & 63] as number;
    out[o++] = ENCODE_TABLE[n & 63] as number;
  }
  const rest = length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out[o++] = ENCODE_TABLE[n >>> 18] as number;
    out[o++] = ENCODE_TABLE[(n >>> 12) & 63] as number;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out[o++] = ENCODE_TABLE[n >>> 18] as number;
    out[o++] = ENCODE_TABLE[(n >>> 12) & 63] as number;
    out[o++] = ENCODE_TABLE[(n >>> 6) & 63] as number;
  }
  if (o <= CHARS_PER_CALL) return String.fromCharCode.apply(null, out.subarray(0, o) as unknown as number[]);
  let text = "";
  for (let start = 0; start < o; start += CHARS_PER_CALL) {
    text += String.fromCharCode.apply(null, out.subarray(start, Math.min(o, start + CHARS_PER_CALL)) as unknown as number[]);
  }
  return text;
}

/**
 * Decodes unpadded base64url. Returns `null` (never throws) for any character outside the
 * alphabet, an impossible length, or non-zero trailing bits (so each byte string has exactly one
 * accepted encoding).
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const length = text.length;
  if (length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (DECODE_TABLE[code] as number) : -1;
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || (DECODE_TABLE[code] as number) < 0) return false;
  }
  return true;
}
