import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { standaloneClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis standalone × node-redis v6", () => standaloneClient("node-redis v6", inject("redisUrl")));
