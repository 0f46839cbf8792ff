/**
 * The hooks through which a request's hold sees its response: the response's write methods, its
 * header setters and `headersSent` consult the request's hold (`res.req[HOLD]`, the one property
 * the adapter adds to a request besides `req.session`), and `req.sessionID` reads it. Requests
 * without a hold pass straight through.
 *
 * Where they go:
 *
 * - **Express**: once, on Express's own shared `express.request` / `express.response`, the first
 *   prototype above Node's classes in the chain. Every app's `app.request` / `app.response`
 *   inherits from them, and a mounted sub-app's inherit from its parent's, so sub-apps are covered.
 *   Node's `IncomingMessage.prototype` and `ServerResponse.prototype` are never touched, so other
 *   servers and libraries in the process are not affected.
 * - **Plain `http.createServer` / connect** (no prototype between the object and Node's class):
 *   own properties on that one request and response, gone with them.
 * - **The first Express response whose methods another middleware already wrapped** (compression
 *   in front of the session, before the shared hooks existed): that response also gets own
 *   properties, above the wrappers, because the wrappers captured the unhooked methods.
 *
 * The keys are `Symbol.for` names, so two copies of the adapter in one process (its ESM and CJS
 * builds) find each other's hooks and use them instead of stacking a second layer.
 *
 * Why not wrap each Express response, as express-session does: Express moves every `req`/`res` to
 * its own prototype, after which V8 gives each object that gains an accessor or a property a shape
 * of its own, which costs far more CPU a request than one property on the request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** A request's hold (see {@link Hold}); shared by every copy of the adapter that speaks version 1. */
const HOLD = Symbol.for("tessera.adapter-express.hold.v1");
/** The response methods under the hooks: on a hooked prototype, or own on a response hooked alone. */
const ORIGINALS = Symbol.for("tessera.adapter-express.originals.v1");

/** The response calls a hold may hold. */
export type WriteCall = "writeHead" | "write" | "end" | "flushHeaders";
/** The header setters that throw while the response is held. */
type HeaderCall = "setHeader" | "appendHeader" | "removeHeader";
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
export type Originals = Record<WriteCall | HeaderCall, Method> & { headersSent(this: ServerResponse): boolean };

/** What the hooks ask a request's hold. */
export interface Hold {
  readonly sessionId: string;
  /** True while calls are held: the response then acts as if its headers were sent. */
  readonly held: boolean;
  /** True when the call is held (it runs later); false to run it now. */
  holds(call: WriteCall, args: unknown[]): boolean;
}

type HeldRequest = IncomingMessage & { [HOLD]?: Hold };
type HookedResponse = ServerResponse & { req?: HeldRequest; [ORIGINALS]: Originals };

/** Node's own ERR_HTTP_HEADERS_SENT, for what would fail the same way without the hold. */
export function headersSentError(verb: string): Error {
  return Object.assign(new Error(`Cannot ${verb} headers after they are sent to the client`), { code: "ERR_HTTP_HEADERS_SENT" });
}

const WRITE_CALLS: readonly WriteCall[] = ["writeHead", "write", "end", "flushHeaders"];
const HEADER_CALLS: ReadonlyArray<readonly [HeaderCall, string]> = [
  ["setHeader", "set"],
  ["appendHeader", "append"],
  ["removeHeader", "remove"],
];

/** What a held call returns: what the method itself returns. */
const HELD_RESULT = { writeHead: "self", write: true, end: "self", flushHeaders: undefined } as const;

function writeHook(call: WriteCall): Method {
  return function (this: ServerResponse, ...args: unknown[]) {
    const res = this as HookedResponse;
    if (res.req?.[HOLD]?.holds(call, args) !== true) return res[ORIGINALS][call].apply(res, args);
    return HELD_RESULT[call] === "self" ? res : HELD_RESULT[call];
  };
}

/** While held, changing a header throws, as once the headers are sent. */
function headerHook(call: HeaderCall, verb: string): Method {
  return function (this: ServerResponse, ...args: unknown[]) {
    const res = this as HookedResponse;
    if (res.req?.[HOLD]?.held === true) throw headersSentError(verb);
    return res[ORIGINALS][call].apply(res, args);
  };
}

/** The response hooks, one set for every prototype and response this copy hooks (they find the methods under them on `this`). */
const RESPONSE_HOOKS: ReadonlyArray<readonly [PropertyKey, PropertyDescriptor]> = [
  ...WRITE_CALLS.map((call) => [call, { value: writeHook(call), writable: true }] as const),
  ...HEADER_CALLS.map(([call, verb]) => [call, { value: headerHook(call, verb), writable: true }] as const),
  [
    "headersSent",
    {
      get(this: HookedResponse) {
        return this.req?.[HOLD]?.held === true || this[ORIGINALS].headersSent.call(this);
      },
    },
  ],
];

const SESSION_ID: PropertyDescriptor = {
  get(this: HeldRequest) {
    return this[HOLD]?.sessionId;
  },
  set(this: HeldRequest, value: unknown) {
    define(this, "sessionID", { value, writable: true, enumerable: true });
  },
};

/** The request hooks: a default for the hold (so a request without one finds it on the prototype) and `req.sessionID`. */
const REQUEST_HOOKS: ReadonlyArray<readonly [PropertyKey, PropertyDescriptor]> = [
  [HOLD, { value: undefined, writable: true }],
  ["sessionID", SESSION_ID],
];

/** The prototypes this copy hooked, with what each held before under the hooked keys (for {@link uninstallHooks}). */
const installed = new Map<object, Array<[PropertyKey, PropertyDescriptor | undefined]>>();

/** Gives `req` its hold, hooking what is needed first; returns the response methods under the hooks. */
export function attachHold(req: IncomingMessage, res: ServerResponse, hold: Hold): Originals {
  if (!(HOLD in req)) hookRequest(req);
  const originals = (res as Partial<HookedResponse>)[ORIGINALS] ?? hookResponse(res);
  (req as HeldRequest)[HOLD] = hold;
  return originals;
}

/**
 * Removes the hooks this copy of the adapter installed on Express's prototypes and restores what
 * was there. For tests: a request still in flight then loses its hold. A later session request
 * installs them again.
 */
export function uninstallHooks(): void {
  for (const [target, previous] of installed) {
    for (const [key, descriptor] of previous) {
      if (descriptor === undefined) delete (target as Record<PropertyKey, unknown>)[key];
      else Object.defineProperty(target, key, descriptor);
    }
  }
  installed.clear();
}

function hookRequest(req: IncomingMessage): void {
  const level = frameworkPrototypeOf(req);
  if (level === undefined) define(req, "sessionID", SESSION_ID);
  else install(level, REQUEST_HOOKS);
}

function hookResponse(res: ServerResponse): Originals {
  const level = frameworkPrototypeOf(res);
  if (level !== undefined && !RESPONSE_HOOKS.some(([name]) => Object.hasOwn(res, name))) {
    const originals = originalsFrom(level);
    install(level, responseHooksOver(originals));
    return originals;
  }
  // Plain node:http, or a response another middleware wrapped before the shared hooks existed.
  const originals = originalsFrom(res);
  if (level !== undefined) install(level, responseHooksOver(originalsFrom(level)));
  for (const [key, descriptor] of responseHooksOver(originals)) define(res, key, descriptor);
  return originals;
}

/** The response hooks, with the methods they call. */
function responseHooksOver(originals: Originals): Array<readonly [PropertyKey, PropertyDescriptor]> {
  return [[ORIGINALS, { value: originals }], ...RESPONSE_HOOKS];
}

/**
 * The framework's shared prototype: the one just above Node's class (the first prototype with its
 * own `constructor`; Express's prototypes have none). `undefined` when the object is a direct
 * instance of the class, as with plain `node:http`.
 */
function frameworkPrototypeOf(object: object): object | undefined {
  let level: object | undefined;
  for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, "constructor")) return level;
    level = proto;
  }
  throw new TypeError("[tessera] [adapter-express] expected Node's request and response objects");
}

/** The methods `target` has now (own or inherited), which the hooks will call. */
function originalsFrom(target: object): Originals {
  const methods = target as Record<string, Method>;
  let sent: PropertyDescriptor | undefined;
  for (let p: object | null = target; p !== null && sent === undefined; p = Object.getPrototypeOf(p)) {
    sent = Object.getOwnPropertyDescriptor(p, "headersSent");
  }
  const sentGetter = sent?.get;
  if (sentGetter === undefined) throw new TypeError("[tessera] [adapter-express] the response is not a Node ServerResponse");
  return {
    writeHead: methods.writeHead as Method,
    write: methods.write as Method,
    end: methods.end as Method,
    flushHeaders: methods.flushHeaders as Method,
    setHeader: methods.setHeader as Method,
    appendHeader: methods.appendHeader as Method,
    removeHeader: methods.removeHeader as Method,
    headersSent() {
      return Boolean(sentGetter.call(this));
    },
  };
}

/** Defines `hooks` on a shared prototype, remembering what they replace. */
function install(target: object, hooks: ReadonlyArray<readonly [PropertyKey, PropertyDescriptor]>): void {
  const previous = installed.get(target) ?? [];
  for (const [key, descriptor] of hooks) {
    if (!previous.some(([saved]) => saved === key)) previous.push([key, Object.getOwnPropertyDescriptor(target, key)]);
    define(target, key, descriptor);
  }
  installed.set(target, previous);
}

function define(target: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
}
