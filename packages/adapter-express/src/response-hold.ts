/**
 * Express has no hook that runs after the handler, and the session cookie can only be chosen once
 * the store write is done (a new session's ID is final only when `create` succeeded). So when the
 * response is about to be written and the session has something to commit, the response is held:
 *
 * - The first `writeHead`, `write`, `end` or `flushHeaders` asks the manager's `needsCommit`.
 *   Nothing to do (a read-only request): the call runs at once, nothing is held or deferred.
 *   Otherwise it is held, with every such call after it, until the commit settles; they then run
 *   in order. While held, the response acts as if its headers were sent (`headersSent` is true,
 *   changing a header throws), so `res.end()` or `res.send()` twice fail as without the hold.
 * - `end` asks again if the headers went out earlier (a streamed response that changed the
 *   session afterwards), so the response never finishes before the store write has.
 * - The session's `Set-Cookie` lines are added when the headers are really written, after the
 *   app's own lines, including lines the app passes to `writeHead` itself.
 * - If the commit fails before any header went out, the held calls are dropped, the app's headers
 *   removed, and the error goes to `next(error)`, whose error handler answers.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ResponsePort, Session, SessionManager, SessionView } from "@tessera/core";
import { bindSession } from "@tessera/core/internal";
import { attachHold, type Hold, headersSentError, type Originals, type WriteCall } from "./class-hooks.js";

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

/** One request's session, bound to its response. */
export class SessionHold implements Hold, ResponsePort {
  /** `req.session`. */
  readonly view: SessionView;
  readonly #request: IncomingMessage & { session?: unknown };
  readonly #res: ServerResponse;
  readonly #originals: Originals;
  readonly #manager: SessionManager;
  readonly #session: Session;
  readonly #commit: () => Promise<void>;
  readonly #unset: "keep" | "destroy";
  readonly #fail: (error: unknown) => void;
  /** Held calls as (name, arguments) pairs, or null when nothing is held. */
  #queue: Array<WriteCall | unknown[]> | null = null;
  /** The headers need no commit any more: one ran, or there was nothing to do. */
  #headersDecided = false;
  /** A commit ran for the end of the response. */
  #endCommitted = false;
  #failed = false;
  #unsetApplied = false;
  /** The session's Set-Cookie lines (and token header), until the headers are written. */
  #pending: Array<[string, string]> | null = null;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    manager: SessionManager,
    session: Session,
    unset: "keep" | "destroy",
    fail: (error: unknown) => void,
  ) {
    const binding = bindSession(manager, session, this);
    this.view = binding.view;
    this.#request = req;
    this.#res = res;
    this.#originals = attachHold(req, res, this);
    this.#manager = manager;
    this.#session = session;
    this.#commit = binding.commit;
    this.#unset = unset;
    this.#fail = fail;
  }

  get sessionId(): string {
    return this.#session.id;
  }

  get held(): boolean {
    return this.#queue !== null;
  }

  holds(call: WriteCall, args: unknown[]): boolean {
    if (this.#queue !== null) {
      if (call === "writeHead") throw headersSentError("write");
      this.#queue.push(call, args);
      return true;
    }
    const decided = call === "end" ? this.#endCommitted : this.#headersDecided;
    if (!(this.#failed || decided)) {
      if (this.#needsCommit()) {
        this.#hold([call, args]);
        return true;
      }
      this.#headersDecided = true;
    }
    if (call === "writeHead") this.#addHeaders(args);
    return false;
  }

  appendSetCookie(line: string): void {
    this.#queueHeader("set-cookie", line);
  }

  setHeader(name: string, value: string): void {
    this.#queueHeader(name, value);
  }

  #queueHeader(name: string, value: string): void {
    if (this.#originals.headersSent.call(this.#res)) return; // too late: the headers are out
    if (this.#pending === null) this.#pending = [[name, value]];
    else this.#pending.push([name, value]);
  }

  /** `req.session = null` (or `delete req.session`) drops the changes ("keep") or destroys, once. */
  #needsCommit(): boolean {
    if (this.#request.session == null && !this.#unsetApplied) {
      if (this.#unset === "keep") return false;
      this.#unsetApplied = true;
      this.#session.destroy();
    }
    return this.#manager.needsCommit(this.#session);
  }

  #hold(queue: Array<WriteCall | unknown[]>): void {
    this.#queue = queue;
    if (queue.includes("end")) this.#endCommitted = true;
    this.#commit().then(
      () => this.#release(),
      (error: unknown) => this.#abandon(error),
    );
  }

  /** The commit finished: the held calls run in order (an `end` the commit did not cover asks again). */
  #release(): void {
    const queue = this.#queue ?? [];
    this.#queue = null;
    this.#headersDecided = true;
    try {
      for (let index = 0; index < queue.length; index += 2) {
        const call = queue[index] as WriteCall;
        const args = queue[index + 1] as unknown[];
        if (call === "end" && !this.#endCommitted && this.#needsCommit()) {
          this.#hold(queue.slice(index));
          return;
        }
        if (call === "writeHead") this.#addHeaders(args);
        this.#originals[call].apply(this.#res, args);
      }
    } catch (error) {
      this.#fail(error); // what the app's own call would have thrown, e.g. an invalid status code
    }
  }

  #abandon(error: unknown): void {
    this.#queue = null;
    this.#failed = true;
    const res = this.#res;
    if (!this.#originals.headersSent.call(res)) for (const name of res.getHeaderNames()) res.removeHeader(name);
    this.#fail(error);
  }

  /** Writes the session's headers: Set-Cookie after the app's lines (or into the `writeHead` argument that has some). */
  #addHeaders(args: unknown[]): void {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    const lines = pending.filter(([name]) => name === "set-cookie").map(([, line]) => line);
    const argument = args.find((arg, index) => index > 0 && typeof arg === "object" && arg !== null);
    if (lines.length > 0 && (argument === undefined || !mergeIntoArgument(argument, lines)))
      for (const line of lines) this.#res.appendHeader("set-cookie", line);
    for (const [name, value] of pending) if (name !== "set-cookie") this.#res.setHeader(name, value);
  }
}
