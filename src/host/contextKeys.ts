/** The `when`-clause context keys package.json menus use, from the registry's entries. No `vscode` import. */
import type { AnalysisEntry } from './analysisRegistry';

export function contextKeys(entries: readonly AnalysisEntry[]): Record<string, boolean> {
  return {
    'incidentLens.hasAnalysis': entries.length > 0,
    'incidentLens.hasReport': entries.some((e) => !!e.report),
    'incidentLens.analysisRunning': entries.some((e) => e.status === 'running'),
  };
}
