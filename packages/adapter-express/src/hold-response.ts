/**
 * Express has no hook that runs after the handler, and the session cookie can only be chosen once
 * the store write is done (a new session's ID is final only when `create` succeeded). So the
 * adapter holds the response at the moment its headers would be written, commits, then lets it go:
 *
 * - The first `writeHead`, `write`, `end` or `flushHeaders` starts the commit and is held, with
 *   every such call after it, until the commit settles; they are then replayed in order. While
 *   held, the response acts as if its headers were sent (`headersSent` is true, setting a header
 *   throws), so `res.end()` twice or `res.send()` twice fail exactly as without the middleware.
 * - `end` after headers went out earlier (a streamed response) commits once more before finishing,
 *   so the response never finishes before the store write has.
 * - The session's `Set-Cookie` lines are added when the headers are really written, after the
 *   app's own lines, including lines the app passes to `writeHead` itself.
 * - If the commit fails before any header went out, the held calls are dropped, the app's headers
 *   removed, and `fail(error)` hands the error to the framework's error handler, which answers.
 */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

type Method = (...args: unknown[]) => unknown;
type Held = { method: Method; args: unknown[] };

/** What the adapter's response port writes to: headers queued until they are really written. */
export interface HeldResponse {
  /** Queues a `Set-Cookie` line for when the headers are written (dropped if they already were). */
  appendSetCookie(line: string): void;
  /** Queues a header (the token header of `headerName`) the same way. */
  setHeader(name: string, value: string): void;
}

function headersSentError(verb: string): Error {
  // The same code and message Node's own ERR_HTTP_HEADERS_SENT has.
  return Object.assign(new Error(`Cannot ${verb} headers after they are sent to the client`), { code: "ERR_HTTP_HEADERS_SENT" });
}

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

/** The getter `name` has on `object`'s prototype chain (Node's `headersSent`, whatever Express put in between). */
function inheritedGetter(object: object, name: string): () => unknown {
  for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const getter = Object.getOwnPropertyDescriptor(proto, name)?.get;
    if (getter) return getter;
  }
  throw new TypeError(`the response has no ${name} getter: not a Node ServerResponse`);
}

export function holdResponse(res: ServerResponse, commit: () => Promise<void>, fail: (error: unknown) => void): HeldResponse {
  const real = {
    writeHead: res.writeHead as Method,
    write: res.write as Method,
    end: res.end as Method,
    flushHeaders: res.flushHeaders as Method,
    setHeader: res.setHeader as Method,
    appendHeader: res.appendHeader as Method,
    removeHeader: res.removeHeader as Method,
  };
  const sentGetter = inheritedGetter(res, "headersSent");
  const reallySent = () => Boolean(sentGetter.call(res));
  let lines: string[] = [];
  let headers: Array<[string, string]> = [];
  let held: Held[] | null = null;
  let committedForHeaders = false;
  let committedForEnd = false;
  let failed = false;

  /** Commits, then replays the held calls; commits once more first if an `end` arrived meanwhile. */
  function runCommit(forEnd: boolean): void {
    committedForEnd ||= forEnd;
    commit().then(
      () => {
        const calls = held ?? [];
        if (!forEnd && calls.some((call) => call.method === real.end)) return runCommit(true);
        held = null;
        try {
          for (const { method, args } of calls) method.apply(res, args);
        } catch (error) {
          // What would have thrown in the app's own call (e.g. an invalid status code) goes to the error handler.
          fail(error);
        }
      },
      (error: unknown) => {
        held = null;
        failed = true;
        if (!reallySent()) for (const name of res.getHeaderNames()) res.removeHeader(name);
        fail(error);
      },
    );
  }

  /** Holds `call` if a commit must (or does) run first; false when it may run now. */
  function hold(call: Held): boolean {
    if (failed) return false;
    if (held !== null) {
      if (call.method === writeHeadNow) throw headersSentError("write");
      held.push(call);
      return true;
    }
    const atEnd = call.method === real.end;
    if (committedForHeaders && !(atEnd && !committedForEnd)) return false;
    committedForHeaders = true;
    held = [call];
    runCommit(atEnd);
    return true;
  }

  /** Writes the headers now, adding the session's lines after the app's. */
  function writeHeadNow(...args: unknown[]): unknown {
    if (lines.length > 0) {
      const argument = args.find((arg, index) => index > 0 && typeof arg === "object" && arg !== null);
      if (argument === undefined || !mergeIntoArgument(argument, lines))
        for (const line of lines) real.appendHeader.call(res, "set-cookie", line);
      lines = [];
    }
    for (const [name, value] of headers) real.setHeader.call(res, name, value);
    headers = [];
    return real.writeHead.apply(res, args);
  }

  res.writeHead = ((...args: unknown[]) =>
    hold({ method: writeHeadNow, args }) ? res : writeHeadNow(...args)) as ServerResponse["writeHead"];
  res.write = ((...args: unknown[]) => hold({ method: real.write, args }) || real.write.apply(res, args)) as ServerResponse["write"];
  res.end = ((...args: unknown[]) => (hold({ method: real.end, args }) ? res : real.end.apply(res, args))) as ServerResponse["end"];
  res.flushHeaders = (() => {
    if (!hold({ method: real.flushHeaders, args: [] })) real.flushHeaders.call(res);
  }) as ServerResponse["flushHeaders"];
  for (const [name, verb] of [
    ["setHeader", "set"],
    ["appendHeader", "append"],
    ["removeHeader", "remove"],
  ] as const) {
    const original = real[name];
    (res as unknown as Record<string, Method>)[name] = (...args: unknown[]) => {
      if (held !== null) throw headersSentError(verb);
      return original.apply(res, args);
    };
  }
  Object.defineProperty(res, "headersSent", { configurable: true, get: () => held !== null || reallySent() });

  return {
    appendSetCookie(line) {
      if (!reallySent()) lines.push(line);
    },
    setHeader(name, value) {
      if (!reallySent()) headers.push([name, value]);
    },
  };
}
