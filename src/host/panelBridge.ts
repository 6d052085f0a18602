/**
 * The one place the host calls the Report panel (panel.ts, owned by the webview work). Commands, the tree,
 * hovers and the capture editor all go through here, so a change in the panel's API is a change in this file.
 * One panel per analysis: the analysis id is the panel's key.
 */
import * as vscode from 'vscode';
import type { AnalysisEntry, AnalysisRegistry } from './analysisRegistry';
import { analysisLabel } from './analysisRegistry';
import { log } from './log';
import { ReportPanel } from './panel';
import type { TimelineFocus } from './resultsTreeModel';
import { focusInterval } from './timelineFocus';

/**
 * Intervals the host itself asked a panel to select (from a tree row or a hover link), per panel key. The page
 * reports them back as a selection like any other; only selections the user makes in the timeline filter the
 * tree, or clicking a chain in the tree would hide its neighbours.
 */
const hostSelections = new Map<string, [number, number]>();

export async function showTimeline(context: vscode.ExtensionContext, entry: AnalysisEntry, focus?: TimelineFocus): Promise<void> {
  const report = entry.report;
  if (!report) {
    void vscode.window.showInformationMessage(`Incident Lens: ${analysisLabel(entry.paths)} has no report yet (${entry.status}).`);
    return;
  }
  const interval = focus ? focusInterval(report, focus) : undefined;
  if (focus && !interval) log(`timeline: ${JSON.stringify(focus)} is not in ${entry.id}; showing the whole report`);
  if (interval) hostSelections.set(entry.id, [interval.startUs, interval.endUs]);
  ReportPanel.show(context, report, {
    key: entry.id,
    title: `Incident Lens: ${analysisLabel(entry.paths)}`,
    ...(interval ? { focus: interval } : {}),
  });
}

/**
 * Wires the panel into the window: the timeline's selection filters the results tree, and panels restored
 * after a reload find their Report while the analysis is still open (otherwise the page says it is gone).
 */
export function registerPanel(context: vscode.ExtensionContext, registry: AnalysisRegistry): vscode.Disposable[] {
  return [
    ReportPanel.onDidChangeSelection((e) => {
      const fromHost = hostSelections.get(e.key);
      hostSelections.delete(e.key);
      if ('cleared' in e) registry.setSelection(e.key, undefined);
      else if (!(fromHost && fromHost[0] === e.startUs && fromHost[1] === e.endUs)) registry.setSelection(e.key, [e.startUs, e.endUs]);
    }),
    vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, ReportPanel.serializer(context, (key) => registry.get(key)?.report)),
  ];
}

export async function showReportJson(report: unknown): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(report, null, 2) });
  await vscode.window.showTextDocument(doc, { preview: false });
}
