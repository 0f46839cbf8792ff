/**
 * `migratingStore` from @tessera/core is a store like any other: the whole suite, through the
 * combinator, with a memory store on each side. (Core cannot run the suite itself: this package
 * depends on core.)
 */
import { memoryStore, migratingStore } from "@tessera/core";
import { testStore } from "../src/index.js";

testStore("migrating", {
  create: () => migratingStore({ to: memoryStore(), from: memoryStore() }),
  createIsolated: () => migratingStore({ to: memoryStore(), from: memoryStore() }),
});
