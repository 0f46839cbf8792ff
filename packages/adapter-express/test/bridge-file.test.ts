/**
 * The store bridge on session-file-store (built on this package's `session`), in a temporary
 * directory. A second FileStore in a sibling directory serves the prefix-isolation and dispose
 * cases. session-file-store cannot list records (no `all`), so the owner cases and ids() are
 * skipped by the suite with that reason.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type expressSession from "express-session";
import createFileStore from "session-file-store";
import { describe } from "vitest";
import session from "../src/index.js";
import { bridgeConformance } from "./bridge-fixtures.js";

describe("session-file-store in a temporary directory", () => {
  const FileStore = createFileStore(session as unknown as typeof expressSession);
  let dir: string | undefined;
  // No retries on a missing file (the default retries an absent session for seconds), no reaper timer.
  const open = (name: string) => new FileStore({ path: join(dir ?? "", name), retries: 0, reapInterval: -1, logFn: () => {} });
  bridgeConformance(
    "session-file-store",
    {
      open: async () => {
        dir = await mkdtemp(join(tmpdir(), "tessera-bridge-files-"));
        return open("a");
      },
      isolated: () => open("b"),
      close: async () => {
        if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      },
    },
    { ownerIndex: false, ids: false },
  );
});
