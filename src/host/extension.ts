/**
 * Entry point of the extension (bundled to dist/extension.js). Activation only registers: commands, the
 * results tree, the capture editor and the annotation provider. No file is read and no worker is started
 * until the user asks for an analysis; the activation time is written to the "Incident Lens" log.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { analysisReads } from './analysisRegistry';
import { AnalysisService } from './analysisService';
import { LogAnnotations } from './annotations';
import { CAPTURE_EDITOR_VIEW_TYPE, CaptureEditorProvider } from './captureEditor';
import { registerCommands } from './commands';
import { disposeLog, log } from './log';
import { RESULTS_VIEW_ID, ResultsTreeProvider } from './resultsTree';
import { contextKeys } from './contextKeys';
import { registerPanel } from './panelBridge';

export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  const service = new AnalysisService(context.extensionUri);
  const tree = new ResultsTreeProvider(service.registry);
  const annotations = new LogAnnotations(service.registry, context.extensionUri);

  const setContext = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', key, value);
  const updateContext = () => {
    for (const [key, value] of Object.entries(contextKeys(service.registry.list()))) setContext(key, value);
  };

  context.subscriptions.push(
    service,
    tree,
    annotations,
    vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerCustomEditorProvider(
      CAPTURE_EDITOR_VIEW_TYPE,
      new CaptureEditorProvider(
        service,
        (uri) => vscode.commands.executeCommand('incidentLens.analyzeCapture', uri),
        (uri) => {
          const entry = service.registry.list().find((e) => e.report && analysisReads(e, uri.fsPath));
          return entry ? vscode.commands.executeCommand('incidentLens.showTimeline', { analysisId: entry.id }) : Promise.resolve();
        },
      ),
      { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true },
    ),
    service.registry.onDidChange(updateContext),
    ...registerPanel(context, service.registry),
    ...registerCommands({ context, service, annotations: () => annotations }),
    { dispose: disposeLog },
  );
  updateContext();
  if (!vscode.workspace.isTrusted) {
    log('untrusted workspace: custom log formats from the workspace settings are ignored (user settings still apply)');
  }
  log(`activated in ${(performance.now() - t0).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the worker client terminates running jobs on dispose.
}
