/**
 * The response methods a {@link ResponseHold} must see, hooked once per response class instead of
 * once per response. Wrapping each response (closures, an own `headersSent` accessor) cost Express
 * about 100 µs a request: an own accessor gives every response its own shape, which slows every
 * Express function that touches it. Here a response only gets one data property (its hold).
 *
 * The hooks go on the response's class (Node's `ServerResponse.prototype`, below Express's
 * `app.response`), so they still apply when a mounted sub-app moves the response to its own
 * `app.response`, and they leave `ClientRequest` alone. A response without a hold is passed
 * straight through (one property read per call).
 */
import type { ServerResponse } from "node:http";
import { classPrototypeOf } from "./class-prototype.js";

/** The response's hold (an own property, set once per response). */
const HOLD = Symbol("tessera.hold");
/** The original methods, on the hooked prototype (also marks it as hooked). */
const ORIGINALS = Symbol("tessera.originals");

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
/** The calls that write the response, which a hold may hold. */
export type WriteCall = "write" | "end" | "flushHeaders";

/** What the hooks ask a response's hold. */
export interface Interceptor {
  /** True while calls are held: the response then acts as if its headers were sent. */
  readonly held: boolean;
  /** Before the real `writeHead`: true when the call is held, false to let it run now. */
  holdsWriteHead(args: unknown[]): boolean;
  /** True when the call is held. */
  holds(call: WriteCall, args: unknown[]): boolean;
}

/** The methods under the hooks: a hold replays its calls through them. */
export interface Originals {
  readonly writeHead: Method;
  readonly write: Method;
  readonly end: Method;
  readonly flushHeaders: Method;
  readonly headersSent: (this: ServerResponse) => boolean;
}

type Hooked = ServerResponse & { [HOLD]?: Interceptor; [ORIGINALS]?: Originals };

/** Gives `res` its hold, hooking its class first if needed; returns the methods under the hooks. */
export function attachHold(res: ServerResponse, hold: Interceptor): Originals {
  const hooked = res as Hooked;
  const originals = hooked[ORIGINALS] ?? hookClassOf(hooked);
  hooked[HOLD] = hold;
  return originals;
}

/** Node's own ERR_HTTP_HEADERS_SENT, for what would fail the same way without the hold. */
export function headersSentError(verb: string): Error {
  return Object.assign(new Error(`Cannot ${verb} headers after they are sent to the client`), { code: "ERR_HTTP_HEADERS_SENT" });
}

function hookClassOf(res: Hooked): Originals {
  const proto = classPrototypeOf(res) as Hooked;
  let sentGetter: (() => unknown) | undefined;
  for (let p: object | null = proto; p !== null && sentGetter === undefined; p = Object.getPrototypeOf(p)) {
    sentGetter = Object.getOwnPropertyDescriptor(p, "headersSent")?.get;
  }
  if (sentGetter === undefined)
    throw new TypeError("[tessera] [adapter-express] the response has no headersSent: not a Node ServerResponse");
  const getter = sentGetter;
  const { writeHead, write, end, flushHeaders } = proto as unknown as Record<string, Method>;
  const originals: Originals = {
    writeHead: writeHead as Method,
    write: write as Method,
    end: end as Method,
    flushHeaders: flushHeaders as Method,
    headersSent() {
      return Boolean(getter.call(this));
    },
  };
  /** While held, changing a header throws as it would once the headers are sent. */
  const guarded = (name: "setHeader" | "appendHeader" | "removeHeader", verb: string) => {
    const original = proto[name] as unknown as Method;
    return function (this: Hooked, ...args: unknown[]) {
      if (this[HOLD]?.held === true) throw headersSentError(verb);
      return original.apply(this, args);
    };
  };
  const hooks: Record<string, Method> = {
    writeHead(this: Hooked, ...args) {
      return this[HOLD]?.holdsWriteHead(args) === true ? this : originals.writeHead.apply(this, args);
    },
    write(this: Hooked, ...args) {
      return this[HOLD]?.holds("write", args) === true || originals.write.apply(this, args);
    },
    end(this: Hooked, ...args) {
      return this[HOLD]?.holds("end", args) === true ? this : originals.end.apply(this, args);
    },
    flushHeaders(this: Hooked) {
      if (this[HOLD]?.holds("flushHeaders", []) !== true) originals.flushHeaders.call(this);
    },
    setHeader: guarded("setHeader", "set"),
    appendHeader: guarded("appendHeader", "append"),
    removeHeader: guarded("removeHeader", "remove"),
  };
  for (const [name, hook] of Object.entries(hooks)) {
    Object.defineProperty(proto, name, { value: hook, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(proto, "headersSent", {
    configurable: true,
    enumerable: false,
    get(this: Hooked) {
      return this[HOLD]?.held === true || originals.headersSent.call(this);
    },
  });
  Object.defineProperty(proto, ORIGINALS, { value: originals });
  return originals;
}
