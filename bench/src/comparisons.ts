/**
 * Ratios of Tessera to the competing libraries. Each side was paired with the same bare server, so
 * the ratio of their ratios to bare cancels the machine's drift between their runs.
 */
import { caseById } from "./cases.js";
import type { CaseResult } from "./results.js";

export function addCompetitorRatios(results: CaseResult[]): void {
  for (const result of results) {
    if (result.library !== "tessera" || !result.ok || result.ratioToBare === null) continue;
    const ratios: Record<string, number> = {};
    const cpuRatios: Record<string, number> = {};
    for (const competitorId of caseById(result.caseId).competitors) {
      const competitor = results.find((r) => r.caseId === competitorId && r.scenario === result.scenario);
      if (!competitor?.ok || !competitor.ratioToBare) continue;
      ratios[competitorId] = result.ratioToBare / competitor.ratioToBare;
      if (competitor.cpuMicrosPerRequest !== null && result.cpuMicrosPerRequest) {
        cpuRatios[competitorId] = competitor.cpuMicrosPerRequest / result.cpuMicrosPerRequest;
      }
    }
    result.ratiosToCompetitors = ratios;
    result.cpuRatiosToCompetitors = cpuRatios;
    const worst = Object.entries(ratios).sort((a, b) => a[1] - b[1])[0];
    result.ratioToCompetitor = worst ? worst[1] : null;
    result.competitor = worst ? worst[0] : null;
  }
}
