/**
 * The manager's lifecycle-event listeners. Events are built only when someone listens, so an app
 * without listeners pays nothing for them on the request path.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase64url } from "./base64url.js";
import type { SessionEvent, SessionEventListener } from "./events.js";

/** Fingerprint of a session ID for events: never the ID itself. */
export function sessionRef(id: string): string {
  return encodeBase64url(sha256(new TextEncoder().encode(id))).slice(0, 12);
}

export class EventHub {
  readonly #listeners: SessionEventListener[] = [];

  constructor(first: SessionEventListener | undefined) {
    if (first) this.#listeners.push(first);
  }

  /** Calls every listener with the event `build` makes, if there is any listener. */
  emit(build: () => SessionEvent): void {
    if (this.#listeners.length === 0) return;
    const event = build();
    for (const listener of this.#listeners.slice()) listener(event);
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: SessionEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }
}
