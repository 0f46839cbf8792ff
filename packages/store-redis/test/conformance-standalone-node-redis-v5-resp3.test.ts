import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { standaloneClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

// RESP3 changes reply shapes (HGETALL becomes a map): the store must read both.
redisConformance("redis standalone × node-redis v5 RESP3", () => standaloneClient("node-redis v5 RESP3", inject("redisUrl")));
