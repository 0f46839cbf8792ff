import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { clusterClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis cluster × node-redis v5", () => clusterClient("node-redis v5", inject("redisClusterUrls")));
