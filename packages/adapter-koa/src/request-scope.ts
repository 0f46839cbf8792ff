/**
 * The Koa context of the request being served, for the calls that koa-session makes with it but
 * Tessera's core makes without it: a koa-session store's methods (`{ ctx }`) and `genid(ctx)`.
 * Only used when the options need it, so other apps pay nothing for it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export class RequestScope {
  readonly #storage = new AsyncLocalStorage<object>();

  /** Runs `task` with `ctx` as the current context (for everything it awaits, too). */
  run<T>(ctx: object, task: () => Promise<T>): Promise<T> {
    return this.#storage.run(ctx, task);
  }

  /** The current request's context, or `undefined` outside a request. */
  current(): object | undefined {
    return this.#storage.getStore();
  }
}
