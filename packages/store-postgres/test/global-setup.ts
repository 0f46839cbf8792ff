import { postgresGlobalSetup } from "@tessera/test-postgres/vitest";

export default postgresGlobalSetup();
