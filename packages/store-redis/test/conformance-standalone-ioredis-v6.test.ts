import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { standaloneClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis standalone × ioredis v6", () => standaloneClient("ioredis v6", inject("redisUrl")));
