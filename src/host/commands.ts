/**
 * Every `incidentLens.*` command: where its files come from (explorer selection, active editor, a picker),
 * then one call into AnalysisService, the panel bridge or the registry. Titles and menus are in package.json.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analysisLabel, analysisReads, type AnalysisEntry } from './analysisRegistry';
import type { AnalysisService } from './analysisService';
import { CAPTURE_EDITOR_VIEW_TYPE } from './captureEditor';
import type { LogAnnotations } from './annotations';
import { outputChannel } from './log';
import { showReportJson, showTimeline } from './panelBridge';
import { isValidTimeZone, parseClockOffset } from './requestSettings';
import type { NodeAction, ResultNode, TimelineFocus } from './resultsTreeModel';
import { fileTimeSettingsOf, openTimelineAfterAnalysis, updateFileTimeSettings } from './settings';
import { OPEN_RESULT_COMMAND } from './resultsTree';

export const CAPTURE_FILE_RE = /\.(pcap|pcapng|cap)(\.gz)?$/i;
const CAPTURE_FILTERS = { 'Packet captures': ['pcapng', 'pcap', 'cap', 'gz'], 'All files': ['*'] };
const LOG_FILTERS = { 'Logs': ['log', 'txt', 'json', 'jsonl', 'out', 'yaml', 'yml'], 'All files': ['*'] };

interface Deps {
  context: vscode.ExtensionContext;
  service: AnalysisService;
  annotations: () => LogAnnotations;
}

/** Paths of an explorer invocation: (clicked, allSelected). Multi-select = one analysis. */
function selectedPaths(uri?: unknown, uris?: unknown): string[] {
  const list = Array.isArray(uris) && uris.length ? uris : uri ? [uri] : [];
  return list.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file').map((u) => u.fsPath);
}

function isResultNode(v: unknown): v is ResultNode {
  return typeof v === 'object' && v !== null && typeof (v as ResultNode).analysisId === 'string' && typeof (v as ResultNode).id === 'string';
}

/** A `{ analysisId, focus }` argument from a hover link or CodeLens (arrives as parsed JSON: checked, not trusted). */
function timelineArg(v: unknown): { analysisId: string; focus?: TimelineFocus } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.analysisId !== 'string') return undefined;
  const f = o.focus as Record<string, unknown> | undefined;
  const focus =
    f && typeof f === 'object' && (f.kind === 'loop' || f.kind === 'chain' || f.kind === 'event' || f.kind === 'frame')
      ? (f as unknown as TimelineFocus)
      : undefined;
  return { analysisId: o.analysisId, ...(focus ? { focus } : {}) };
}

function activeFile(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri.fsPath;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.uri.scheme === 'file') return tab.uri.fsPath;
  return undefined;
}

async function pickFiles(title: string, filters: Record<string, string[]>, many = true): Promise<string[]> {
  const uris = await vscode.window.showOpenDialog({
    title,
    canSelectMany: many,
    canSelectFiles: true,
    canSelectFolders: false,
    filters,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return (uris ?? []).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

async function pickEntry(service: AnalysisService, arg: unknown, needReport: boolean, placeHolder: string): Promise<AnalysisEntry | undefined> {
  if (isResultNode(arg)) return service.registry.get(arg.analysisId);
  const candidates = service.registry.list().filter((e) => !needReport || e.report);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Incident Lens: no ${needReport ? 'finished ' : ''}analysis yet. Run "Analyze Capture…" or "Analyze Logs…" first.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const current = needReport ? service.registry.currentWithReport : service.registry.current;
  const ordered = current ? [current, ...candidates.filter((e) => e !== current)] : candidates;
  const pick = await vscode.window.showQuickPick(
    ordered.map((e) => ({ label: analysisLabel(e.paths), description: e.status, detail: e.paths.join(', '), entry: e })),
    { placeHolder },
  );
  return pick?.entry;
}

/** The file a per-file setting is for: explorer/editor argument, the active editor, or a picker. */
async function fileForSetting(arg: unknown): Promise<string | undefined> {
  const fromArg = selectedPaths(arg)[0];
  if (fromArg) return fromArg;
  const active = activeFile();
  if (active) return active;
  return (await pickFiles('Choose the log file', LOG_FILTERS, false))[0];
}

async function offerRerun(service: AnalysisService, file: string, what: string): Promise<void> {
  const affected = service.registry.list().filter((e) => analysisReads(e, file));
  if (affected.length === 0) {
    void vscode.window.showInformationMessage(`Incident Lens: ${what}. It applies to the next analysis.`);
    return;
  }
  const pick = await vscode.window.showInformationMessage(`Incident Lens: ${what}.`, 'Run Analysis Again');
  if (pick) for (const e of affected) void service.run(e.paths);
}

async function openAction(deps: Deps, node: ResultNode, action: NodeAction): Promise<void> {
  switch (action.kind) {
    case 'open-log': {
      const line = Math.max(0, action.line - 1);
      // `vscode.open` lets the workbench open the file itself, which also works for logs over VS Code's
      // 50 MB limit for extension documents.
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(action.file), {
        selection: new vscode.Range(line, 0, line, 0),
        preview: true,
      } satisfies vscode.TextDocumentShowOptions);
      return;
    }
    case 'open-capture': {
      const entry = deps.service.registry.get(node.analysisId);
      if (entry?.report) return showTimeline(deps.context, entry, { kind: 'frame', capture: action.file, frame: action.frame });
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(action.file), CAPTURE_EDITOR_VIEW_TYPE);
      return;
    }
    case 'open-file': {
      if (CAPTURE_FILE_RE.test(action.file)) {
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(action.file), CAPTURE_EDITOR_VIEW_TYPE);
        return;
      }
      const line = Math.max(0, (action.line ?? 1) - 1);
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(action.file), {
        selection: new vscode.Range(line, 0, line, 0),
      } satisfies vscode.TextDocumentShowOptions);
      return;
    }
    case 'show-timeline': {
      const entry = deps.service.registry.get(action.analysisId);
      if (entry) await showTimeline(deps.context, entry, action.focus);
      return;
    }
  }
}

export function registerCommands(deps: Deps): vscode.Disposable[] {
  const { service, context } = deps;
  const registry = service.registry;

  const runAndShow = async (paths: string[], replaces?: string): Promise<void> => {
    if (paths.length === 0) return;
    const entry = await service.run(paths, replaces);
    if (entry?.report && openTimelineAfterAnalysis()) {
      await showTimeline(context, entry);
    }
  };

  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'incidentLens.analyzeCapture': async (uri?: unknown, uris?: unknown) => {
      let paths = selectedPaths(uri, uris);
      if (!paths.length) {
        const active = activeFile();
        if (active && CAPTURE_FILE_RE.test(active)) paths = [active];
      }
      if (!paths.length) paths = await pickFiles('Analyze capture (select logs too for one analysis)', CAPTURE_FILTERS);
      await runAndShow(paths);
    },
    'incidentLens.analyzeLogs': async (uri?: unknown, uris?: unknown) => {
      let paths = selectedPaths(uri, uris);
      if (!paths.length) paths = await pickFiles('Analyze logs', LOG_FILTERS);
      await runAndShow(paths);
    },
    'incidentLens.analyzeFolder': async (uri?: unknown, uris?: unknown) => {
      await runAndShow(selectedPaths(uri, uris));
    },
    'incidentLens.analyzeWorkspaceFolder': async () => {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
      let folder: string | undefined;
      if (folders.length === 1) folder = folders[0]!.uri.fsPath;
      else if (folders.length > 1) folder = (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to analyse' }))?.uri.fsPath;
      else {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Folder to analyse' });
        folder = picked?.[0]?.fsPath;
      }
      if (folder) await runAndShow([folder]);
    },
    'incidentLens.addFileToAnalysis': async (uri?: unknown, uris?: unknown) => {
      const current = registry.current ?? registry.list()[0];
      if (!current) {
        void vscode.window.showInformationMessage('Incident Lens: there is no analysis to add to yet.');
        return;
      }
      let paths = selectedPaths(uri, uris);
      if (!paths.length) paths = await pickFiles(`Add to ${analysisLabel(current.paths)}`, { 'All files': ['*'] });
      if (paths.length) await runAndShow([...current.paths, ...paths], current.id);
    },
    'incidentLens.cancelAnalysis': async (arg?: unknown) => {
      const running = registry.running();
      let target = isResultNode(arg) ? registry.get(arg.analysisId) : running.length === 1 ? running[0] : undefined;
      if (!target && running.length > 1) {
        target = (
          await vscode.window.showQuickPick(
            running.map((e) => ({ label: analysisLabel(e.paths), detail: e.paths.join(', '), entry: e })),
            { placeHolder: 'Analysis to cancel' },
          )
        )?.entry;
      }
      if (!target) {
        if (!running.length) void vscode.window.showInformationMessage('Incident Lens: no analysis is running.');
        return;
      }
      await target.cancel?.();
    },
    'incidentLens.showTimeline': async (arg?: unknown) => {
      const t = timelineArg(arg);
      const entry = t ? registry.get(t.analysisId) : await pickEntry(service, arg, true, 'Analysis to show');
      if (!entry) {
        if (t) void vscode.window.showInformationMessage('Incident Lens: that analysis is no longer open; run it again.');
        return;
      }
      registry.select(entry.id);
      await showTimeline(context, entry, t?.focus ?? (isResultNode(arg) ? arg.focus : undefined));
    },
    'incidentLens.revealInTimeline': async (arg?: unknown) => {
      if (!isResultNode(arg)) return;
      const entry = registry.get(arg.analysisId);
      if (entry) await showTimeline(context, entry, arg.focus);
    },
    'incidentLens.showReportJson': async (arg?: unknown) => {
      const entry = await pickEntry(service, arg, true, 'Report to show');
      if (entry?.report) await showReportJson(entry.report);
    },
    'incidentLens.exportReport': async (arg?: unknown) => {
      const entry = await pickEntry(service, arg, true, 'Report to export');
      if (!entry?.report) return;
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(entry.paths[0]!));
      const target = await vscode.window.showSaveDialog({
        title: 'Export Incident Lens report',
        defaultUri: vscode.Uri.joinPath(base, `incident-report-${entry.report.generatedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`),
        filters: { 'Incident Lens report (JSON)': ['json'] },
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(entry.report, null, 2)}\n`, 'utf8'));
      void vscode.window.showInformationMessage(`Incident Lens: report saved to ${target.fsPath}.`);
    },
    'incidentLens.setClockOffset': async (arg?: unknown) => {
      const file = await fileForSetting(arg);
      if (!file) return;
      const current = fileTimeSettingsOf(file)?.clockOffsetMs ?? 0;
      const text = await vscode.window.showInputBox({
        title: `Clock offset for ${path.basename(file)}`,
        prompt: 'Added to every timestamp of this file, to correct a clock that was off: e.g. -1500, +2s, 250ms.',
        value: String(current),
        validateInput: (v) => (parseClockOffset(v) === undefined ? 'A number of milliseconds, or with a unit: 250ms, -1.5s, 2m (at most 7 days).' : undefined),
      });
      if (text === undefined) return;
      const ms = parseClockOffset(text)!;
      const key = await updateFileTimeSettings(file, { clockOffsetMs: ms });
      await offerRerun(service, file, `clock offset of ${key} set to ${ms} ms`);
    },
    'incidentLens.setTimeZone': async (arg?: unknown) => {
      const file = await fileForSetting(arg);
      if (!file) return;
      const current = fileTimeSettingsOf(file)?.timeZone ?? '';
      const zone = await vscode.window.showInputBox({
        title: `Time zone for ${path.basename(file)}`,
        prompt: 'For timestamps written without a zone: an IANA name (Europe/Berlin) or an offset (+02:00).',
        value: current,
        placeHolder: 'UTC',
        validateInput: (v) => (v.trim() === '' || isValidTimeZone(v.trim()) ? undefined : `"${v}" is not a time zone this system knows.`),
      });
      if (zone === undefined) return;
      const key = await updateFileTimeSettings(file, { timeZone: zone.trim() || 'UTC' });
      await offerRerun(service, file, `time zone of ${key} set to ${zone.trim() || 'UTC'}`);
    },
    'incidentLens.toggleAnnotations': () => {
      const on = deps.annotations().toggle();
      void vscode.window.showInformationMessage(`Incident Lens: inline log annotations ${on ? 'on' : 'off'}.`);
    },
    'incidentLens.showLog': () => outputChannel().show(),
    'incidentLens.rerunAnalysis': async (arg?: unknown) => {
      const entry = await pickEntry(service, arg, false, 'Analysis to run again');
      if (entry) await runAndShow(entry.paths);
    },
    'incidentLens.removeAnalysis': async (arg?: unknown) => {
      if (!isResultNode(arg)) return;
      const removed = registry.remove(arg.analysisId);
      await removed?.cancel?.();
    },
    'incidentLens.clearResults': async () => {
      await service.cancelAll();
      for (const e of registry.list()) registry.remove(e.id);
    },
    'incidentLens.copyAsText': async (arg?: unknown) => {
      if (isResultNode(arg)) await vscode.env.clipboard.writeText(arg.copyText);
    },
    [OPEN_RESULT_COMMAND]: async (arg?: unknown) => {
      if (!isResultNode(arg) || !arg.action) return;
      registry.select(arg.analysisId);
      await openAction(deps, arg, arg.action);
    },
  };
  return Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn));
}
