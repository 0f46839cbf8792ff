/**
 * Express has no hook that runs after the handler, and the session cookie can only be chosen once
 * the store write is done (a new session's ID is final only when `create` succeeded). So when the
 * response is about to be written and the session has something to commit, the response is held:
 *
 * - The first `writeHead`, `write`, `end` or `flushHeaders` asks `needsCommit()`. Nothing to do
 *   (a read-only request): the call runs at once, nothing is held or deferred. Otherwise the call
 *   is held, with every such call after it, until the commit settles; they then run in order.
 *   While held, the response acts as if its headers were sent (`headersSent` is true, changing a
 *   header throws), so `res.end()` twice or `res.send()` twice fail exactly as without it.
 * - `end` asks again if the headers went out earlier (a streamed response that changed the
 *   session afterwards), so the response never finishes before the store write has.
 * - The session's `Set-Cookie` lines are added when the headers are really written, after the
 *   app's own lines, including lines the app passes to `writeHead` itself.
 * - If the commit fails before any header went out, the held calls are dropped, the app's headers
 *   removed, and `fail(error)` hands the error to the framework's error handler, which answers.
 */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ResponsePort } from "@tessera/core";
import { attachHold, headersSentError, type Interceptor, type Originals, type WriteCall } from "./response-hooks.js";

type HeldCall = "writeHead" | WriteCall;

/** Adds `lines` to a `writeHead` headers argument that sets Set-Cookie itself; false if it does not. */
function mergeIntoArgument(headers: unknown, lines: string[]): boolean {
  if (Array.isArray(headers)) {
    if (!headers.some((value, index) => index % 2 === 0 && String(value).toLowerCase() === "set-cookie")) return false;
    for (const line of lines) headers.push("set-cookie", line);
    return true;
  }
  const record = headers as OutgoingHttpHeaders;
  const key = Object.keys(record).find((name) => name.toLowerCase() === "set-cookie");
  if (key === undefined) return false;
  record[key] = [...[record[key] ?? []].flat().map(String), ...lines];
  return true;
}

/** One response's hold; the subclass says what to commit and where a failure goes. */
export abstract class ResponseHold implements Interceptor, ResponsePort {
  readonly #res: ServerResponse;
  readonly #originals: Originals;
  /** Held calls as (name, arguments) pairs, or null when nothing is held. */
  #queue: Array<HeldCall | unknown[]> | null = null;
  /** The headers need no commit any more: one ran, or there was nothing to do. */
  #headersDecided = false;
  /** A commit ran for the end of the response. */
  #endCommitted = false;
  #failed = false;
  /** The session's Set-Cookie lines and headers, until the headers are written. */
  #lines: string[] | null = null;
  #headers: Array<[string, string]> | null = null;

  constructor(res: ServerResponse) {
    this.#res = res;
    this.#originals = attachHold(res, this);
  }

  /** Whether the session has anything to commit now (asked synchronously, before each decision). */
  protected abstract needsCommit(): boolean;
  protected abstract commit(): Promise<void>;
  /** Receives a failed commit's error, or what a held call threw when it finally ran. */
  protected abstract fail(error: unknown): void;

  get held(): boolean {
    return this.#queue !== null;
  }

  holdsWriteHead(args: unknown[]): boolean {
    if (this.#queue !== null) throw headersSentError("write");
    if (!this.#failed && !this.#headersDecided) {
      if (this.needsCommit()) {
        this.#hold(["writeHead", args]);
        return true;
      }
      this.#headersDecided = true;
    }
    this.#addHeaders(args);
    return false;
  }

  holds(call: WriteCall, args: unknown[]): boolean {
    if (this.#queue !== null) {
      this.#queue.push(call, args);
      return true;
    }
    if (this.#failed || (call === "end" ? this.#endCommitted : this.#headersDecided)) return false;
    if (!this.needsCommit()) {
      this.#headersDecided = true;
      return false;
    }
    this.#hold([call, args]);
    return true;
  }

  appendSetCookie(line: string): void {
    if (this.#originals.headersSent.call(this.#res)) return; // too late: the headers are out
    if (this.#lines === null) this.#lines = [line];
    else this.#lines.push(line);
  }

  setHeader(name: string, value: string): void {
    if (this.#originals.headersSent.call(this.#res)) return;
    if (this.#headers === null) this.#headers = [[name, value]];
    else this.#headers.push([name, value]);
  }

  #hold(queue: Array<HeldCall | unknown[]>): void {
    this.#queue = queue;
    if (queue.includes("end")) this.#endCommitted = true;
    this.commit().then(
      () => this.#release(),
      (error: unknown) => this.#abandon(error),
    );
  }

  /** The commit finished: the held calls run in order (an `end` the commit did not cover asks again). */
  #release(): void {
    const queue = this.#queue ?? [];
    this.#queue = null;
    this.#headersDecided = true;
    const res = this.#res;
    try {
      for (let index = 0; index < queue.length; index += 2) {
        const call = queue[index] as HeldCall;
        const args = queue[index + 1] as unknown[];
        if (call === "end" && !this.#endCommitted && this.needsCommit()) {
          this.#hold(queue.slice(index));
          return;
        }
        if (call === "writeHead") this.#addHeaders(args);
        this.#originals[call].apply(res, args);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  #abandon(error: unknown): void {
    this.#queue = null;
    this.#failed = true;
    const res = this.#res;
    if (!this.#originals.headersSent.call(res)) for (const name of res.getHeaderNames()) res.removeHeader(name);
    this.fail(error);
  }

  /** Writes the session's headers into the response (or into the `writeHead` argument that sets Set-Cookie). */
  #addHeaders(args: unknown[]): void {
    const lines = this.#lines;
    if (lines !== null) {
      this.#lines = null;
      const argument = args.find((arg, index) => index > 0 && typeof arg === "object" && arg !== null);
      if (argument === undefined || !mergeIntoArgument(argument, lines))
        for (const line of lines) this.#res.appendHeader("set-cookie", line);
    }
    const headers = this.#headers;
    if (headers !== null) {
      this.#headers = null;
      for (const [name, value] of headers) this.#res.setHeader(name, value);
    }
  }
}
