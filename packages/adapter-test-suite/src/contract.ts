/**
 * What a driver must provide: an app, built with the adapter under test and the framework's own
 * API, that answers the routes below. The suite only speaks HTTP to it.
 */
import type { Store } from "@tessera/core";

/** Session options the suite starts an app with. Drivers map them to the adapter's option names. */
export interface SuiteAppOptions {
  /** Signing secrets, current first (Express: `secret`). */
  readonly secrets: readonly string[];
  /** The store (a counting wrapper around a memory store). */
  readonly store: Store;
  /** The fake clock (epoch ms). */
  readonly now: () => number;
  readonly idleTimeoutSeconds: number;
  readonly absoluteTimeoutSeconds: number;
  readonly rememberMeSeconds: number;
}

/** A started app. */
export interface RunningApp {
  /** Sends one request to the app; `path` includes the query string. Redirects are not followed. */
  fetch(path: string, init?: { method?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the server, if there is one. */
  close(): Promise<void>;
}

/** Starts the app under test. Called once per scenario (twice for secret rotation, with the same store). */
export interface AdapterDriver {
  start(options: SuiteAppOptions): Promise<RunningApp>;
}

/**
 * The routes the app must answer. `{ id, isNew, data }` below means a JSON body with the
 * session's ID, whether it is new, and all its data as a plain object (flash values excluded).
 * Values in the query string are JSON.
 *
 * Errors must go through the framework's own error path (Express `next(err)` and an error
 * middleware, Koa's thrown errors and an outer try/catch, Hono's `onError`), which answers with
 * the error's HTTP status (`err.status`, or the `HTTPException`'s) and the JSON body
 * `{ error: <SessionError's name>, code: <its code> }`.
 */
export const ROUTES = {
  "GET /session": "changes nothing; answers { id, isNew, data }",
  "POST /set?data=<json object>":
    "assigns every key of the object to the session (property assignment where the adapter has it); answers { id, isNew, data }",
  "POST /regenerate?data=<json object>":
    "a login: regenerates the session (the new one starts empty, as with express-session), then assigns every key of the object; answers { id, isNew, data }",
  "POST /destroy": "destroys the session (Koa: `ctx.session = null`); answers { destroyed: true }",
  "POST /remember?on=<true|false>":
    "true: a persistent cookie for rememberMeSeconds (Express: `cookie.maxAge = rememberMeSeconds * 1000`); false: a browser-session cookie; answers { id, isNew, data }",
  "POST /flash?message=<json string>": 'stores a flash value under "message"; answers { id, isNew, data }',
  "GET /flash": 'reads the flash value "message" once; answers { message: <value or null> }',
  "GET /other-cookies":
    'sets two cookies of its own with the framework\'s API ("a=1" and "b=2", Path=/), and the session key "visited" to true; answers { id, isNew, data }',
} as const;

/** The JSON body of most routes. */
export interface SessionSnapshot {
  id: string;
  isNew: boolean;
  data: Record<string, unknown>;
}
