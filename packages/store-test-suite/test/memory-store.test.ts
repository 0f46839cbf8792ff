import { memoryStore } from "@tessera/core";
import { testStore } from "../src/index.js";

// The reference store runs the whole suite; two memory stores are isolated like two prefixes.
testStore("memory", {
  create: () => memoryStore(),
  createIsolated: () => memoryStore(),
});
