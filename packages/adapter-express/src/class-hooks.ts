/**
 * Hooks installed once on the request and response classes (Node's `IncomingMessage.prototype` and
 * `ServerResponse.prototype`, below Express's `app.request` / `app.response`, so mounted sub-apps
 * are covered): the response's write methods and `headersSent` consult the request's hold
 * (`res.req[HOLD]`, the one property the adapter adds to a request besides `req.session`), and
 * `req.sessionID` reads it. Requests without a hold pass straight through.
 *
 * Why not wrap each response, as express-session does: Express moves every `req`/`res` to its own
 * prototype, after which V8 gives each object that gains an accessor or a property a shape of its
 * own. Per-response wrappers and accessors cost ~100 µs of CPU a request (a bare Express response
 * is ~250 µs); one property costs ~5 µs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const HOLD = Symbol("tessera.hold");
/** The response methods under the hooks, kept on the hooked class (which they also mark). */
const ORIGINALS = Symbol("tessera.originals");

/** The response calls a hold may hold. */
export type WriteCall = "writeHead" | "write" | "end" | "flushHeaders";
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
export type Originals = Record<WriteCall, Method> & { headersSent(this: ServerResponse): boolean };

/** What the hooks ask a request's hold. */
export interface Hold {
  readonly sessionId: string;
  /** True while calls are held: the response then acts as if its headers were sent. */
  readonly held: boolean;
  /** True when the call is held (it runs later); false to run it now. */
  holds(call: WriteCall, args: unknown[]): boolean;
}

type HeldRequest = IncomingMessage & { [HOLD]?: Hold };
type HookedResponse = ServerResponse & { req?: HeldRequest; [ORIGINALS]?: Originals };

/** Node's own ERR_HTTP_HEADERS_SENT, for what would fail the same way without the hold. */
export function headersSentError(verb: string): Error {
  return Object.assign(new Error(`Cannot ${verb} headers after they are sent to the client`), { code: "ERR_HTTP_HEADERS_SENT" });
}

/** Gives `req` its hold, hooking the classes first if needed; returns the response methods under the hooks. */
export function attachHold(req: IncomingMessage, res: ServerResponse, hold: Hold): Originals {
  if (!(HOLD in req)) hookRequestClass(classPrototypeOf(req));
  const originals = (res as HookedResponse)[ORIGINALS] ?? hookResponseClass(classPrototypeOf(res));
  (req as HeldRequest)[HOLD] = hold;
  return originals;
}

/** The first prototype with its own `constructor` (Express's `app.request`/`app.response` have none). */
function classPrototypeOf(object: object): object {
  for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, "constructor")) return proto;
  }
  throw new TypeError("[tessera] [adapter-express] expected Node's request and response objects");
}

function define(proto: object, name: PropertyKey, descriptor: PropertyDescriptor): void {
  Object.defineProperty(proto, name, { configurable: true, ...descriptor });
}

function hookRequestClass(proto: object): void {
  define(proto, HOLD, { value: undefined, writable: true });
  define(proto, "sessionID", {
    get(this: HeldRequest) {
      return this[HOLD]?.sessionId;
    },
    set(this: HeldRequest, value: unknown) {
      define(this, "sessionID", { value, writable: true, enumerable: true });
    },
  });
}

function hookResponseClass(proto: object): Originals {
  const methods = proto as Record<string, Method>;
  let sent: PropertyDescriptor | undefined;
  for (let p: object | null = proto; p !== null && sent === undefined; p = Object.getPrototypeOf(p)) {
    sent = Object.getOwnPropertyDescriptor(p, "headersSent");
  }
  const sentGetter = sent?.get;
  if (sentGetter === undefined) throw new TypeError("[tessera] [adapter-express] the response is not a Node ServerResponse");
  const originals: Originals = {
    writeHead: methods.writeHead as Method,
    write: methods.write as Method,
    end: methods.end as Method,
    flushHeaders: methods.flushHeaders as Method,
    headersSent() {
      return Boolean(sentGetter.call(this));
    },
  };
  // What a held call returns: what the method itself returns.
  const heldResult = { writeHead: "self", write: true, end: "self", flushHeaders: undefined } as const;
  for (const call of ["writeHead", "write", "end", "flushHeaders"] as const) {
    define(proto, call, {
      writable: true,
      value(this: HookedResponse, ...args: unknown[]) {
        if (this.req?.[HOLD]?.holds(call, args) !== true) return originals[call].apply(this, args);
        return heldResult[call] === "self" ? this : heldResult[call];
      },
    });
  }
  // While held, changing a header throws, as once the headers are sent.
  for (const [name, verb] of [
    ["setHeader", "set"],
    ["appendHeader", "append"],
    ["removeHeader", "remove"],
  ] as const) {
    const original = methods[name] as Method;
    define(proto, name, {
      writable: true,
      value(this: HookedResponse, ...args: unknown[]) {
        if (this.req?.[HOLD]?.held === true) throw headersSentError(verb);
        return original.apply(this, args);
      },
    });
  }
  define(proto, "headersSent", {
    get(this: HookedResponse) {
      return this.req?.[HOLD]?.held === true || originals.headersSent.call(this);
    },
  });
  define(proto, ORIGINALS, { value: originals });
  return originals;
}
