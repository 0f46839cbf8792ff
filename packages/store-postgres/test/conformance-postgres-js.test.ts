import { inject } from "vitest";
import "@tessera/test-postgres/vitest";
import { postgresConformance } from "./conformance-helpers.js";

postgresConformance("postgres.js", inject("postgresUrl"));
