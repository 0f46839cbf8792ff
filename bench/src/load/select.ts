/** Picks the load generator: wrk when on PATH (or asked for), else autocannon. */
import { autocannonGenerator } from "./autocannon.js";
import type { LoadGenerator } from "./load-generator.js";
import { wrkGenerator, wrkVersion } from "./wrk.js";

export type LoaderChoice = "auto" | "wrk" | "autocannon";

export function selectLoadGenerator(choice: LoaderChoice): LoadGenerator {
  if (choice === "autocannon") return autocannonGenerator();
  const version = wrkVersion();
  if (version !== null) return wrkGenerator(version);
  if (choice === "wrk") throw new Error("--loader wrk: wrk is not on PATH (Debian: apt-get install wrk).");
  return autocannonGenerator();
}
