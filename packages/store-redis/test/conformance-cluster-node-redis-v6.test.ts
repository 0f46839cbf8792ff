import { inject } from "vitest";
import "@tessera/test-redis/vitest";
import { clusterClient } from "./clients.js";
import { redisConformance } from "./conformance-helpers.js";

redisConformance("redis cluster × node-redis v6", () => clusterClient("node-redis v6", inject("redisClusterUrls")));
