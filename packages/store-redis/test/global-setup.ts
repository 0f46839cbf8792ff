import { redisGlobalSetup } from "@tessera/test-redis/vitest";

export default redisGlobalSetup({ standalone: true, cluster: true });
