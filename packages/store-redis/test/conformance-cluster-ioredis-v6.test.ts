import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { clusterClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis cluster × ioredis v6", () => clusterClient("ioredis v6", inject("redisClusterUrls")));
