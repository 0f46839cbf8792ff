import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { standaloneClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis standalone × node-redis v5", () => standaloneClient("node-redis v5", inject("redisUrl")));
