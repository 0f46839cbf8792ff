import { inject } from "vitest";
import "@tessera/test-postgres/vitest";
import { postgresConformance } from "./conformance-helpers.js";

postgresConformance("pg Client", inject("postgresUrl"));
