/** Reads an `application/x-www-form-urlencoded` body from a Node request stream (for Koa, which has no body parser). */
export async function readUrlEncoded(stream: AsyncIterable<Uint8Array | string>, limitBytes = 16_384): Promise<Record<string, string>> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > limitBytes) throw Object.assign(new Error("form too large"), { status: 413, expose: true });
  }
  return Object.fromEntries(new URLSearchParams(text + decoder.decode()));
}
