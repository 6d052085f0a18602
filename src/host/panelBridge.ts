/**
 * The one place the host calls the Report panel (panel.ts, owned by the webview work). Commands, the tree,
 * hovers and the capture editor all go through showTimeline(), so a change in the panel's API is a change here.
 */
import * as vscode from 'vscode';
import type { AnalysisEntry } from './analysisRegistry';
import { analysisLabel } from './analysisRegistry';
import { log } from './log';
import type { TimelineFocus } from './resultsTreeModel';
import { focusInterval } from './timelineFocus';

export async function showTimeline(context: vscode.ExtensionContext, entry: AnalysisEntry, focus?: TimelineFocus): Promise<void> {
  const report = entry.report;
  if (!report) {
    void vscode.window.showInformationMessage(`Incident Lens: ${analysisLabel(entry.paths)} has no report yet (${entry.status}).`);
    return;
  }
  const interval = focus ? focusInterval(report, focus) : undefined;
  if (focus && !interval) log(`timeline: ${JSON.stringify(focus)} is not in ${entry.id}; showing the whole report`);
  void context;
  // Until the panel lands, the Report is shown as JSON so every command still does something useful.
  await showReportJson(report);
}

export async function showReportJson(report: unknown): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(report, null, 2) });
  await vscode.window.showTextDocument(doc, { preview: false });
}
