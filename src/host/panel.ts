/**
 * The Report panel: the host side of the webview (ladder + timeline). The page is built by webviewHtml.ts with a
 * fresh nonce; it loads only dist/webview.js and media/webview.css. Every message from the page is parsed by
 * webviewProtocol.ts before anything happens: "open this file" is honoured only for files the Report names.
 *
 * Use: `ReportPanel.show(context, report, { key, title, focus })`. For panels restored after a restart, register
 * `ReportPanel.serializer(context, lookup)` with `vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, …)`
 * (and add `onWebviewPanel:incidentLens.report` to activationEvents).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/model';
import {
  PNG_PREFIX,
  parseViewState,
  parseWebviewMessage,
  reportFiles,
  reportForWebview,
  type HostToWebview,
  type WebviewToHost,
  type WebviewViewState,
} from '../shared/webviewProtocol';
import { log } from './log';
import { buildPanelHtml, buildSnapshotHtml, makeNonce } from './webviewHtml';

export interface ReportPanelOptions {
  /** Identifies the Report (e.g. the analysis id): one panel per key, and what a restored panel asks for. */
  key?: string;
  title?: string;
  /** An interval to select and show (and the episode for the ladder), e.g. from a results-tree row. */
  focus?: { startUs: number; endUs: number; episodeId?: string };
  viewColumn?: vscode.ViewColumn;
}

export type SelectionEvent = { key: string; startUs: number; endUs: number } | { key: string; cleared: true };

export class ReportPanel {
  static readonly viewType = 'incidentLens.report';
  private static readonly panels = new Map<string, ReportPanel>();
  private static readonly selectionEmitter = new vscode.EventEmitter<SelectionEvent>();
  /** The interval selected in a panel's timeline (the results tree can filter by it). */
  static readonly onDidChangeSelection = ReportPanel.selectionEmitter.event;

  private report: Report | undefined;
  private files = new Set<string>();
  private ready = false;
  private pending: HostToWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** Options for `createWebviewPanel` (also what a serializer-restored panel gets). */
  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // A million-point view is expensive to rebuild; keeping it while hidden is worth the memory.
      retainContextWhenHidden: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  static show(context: vscode.ExtensionContext, report: Report, opts: ReportPanelOptions = {}): ReportPanel {
    const key = opts.key ?? 'default';
    const existing = ReportPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(opts.viewColumn);
      if (existing.report !== report) existing.setReport(report, focusState(key, opts.focus));
      else if (opts.focus) existing.post({ type: 'select-interval', startUs: opts.focus.startUs, endUs: opts.focus.endUs });
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ReportPanel.viewType,
      opts.title ?? 'Incident Lens: timeline',
      opts.viewColumn ?? vscode.ViewColumn.Active,
      ReportPanel.webviewOptions(context.extensionUri),
    );
    const p = new ReportPanel(panel, context, key);
    p.setReport(report, focusState(key, opts.focus));
    return p;
  }

  /**
   * A serializer for `registerWebviewPanelSerializer`: `lookup(key)` returns the Report a restored panel showed,
   * or undefined when it is gone (the page then says so instead of showing a stale view).
   */
  static serializer(context: vscode.ExtensionContext, lookup: (key: string) => Report | undefined): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown) {
        const state = parseViewState(raw);
        const key = state.reportKey ?? 'default';
        panel.webview.options = ReportPanel.webviewOptions(context.extensionUri);
        const p = new ReportPanel(panel, context, key);
        const report = lookup(key);
        if (report) p.setReport(report, state);
        else p.post({ type: 'unavailable', message: 'The Report shown here is no longer loaded. Run the analysis again to see the timeline.' });
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly key: string,
  ) {
    ReportPanel.panels.get(key)?.panel.dispose();
    ReportPanel.panels.set(key, this);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  private html(): string {
    const w = this.panel.webview;
    const asUri = (...p: string[]): string => w.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    return buildPanelHtml({ nonce: makeNonce(), cspSource: w.cspSource, scriptUri: asUri('dist', 'webview.js'), styleUri: asUri('media', 'webview.css'), title: this.panel.title });
  }

  private setReport(report: Report, state: WebviewViewState): void {
    this.report = report;
    this.files = reportFiles(report);
    this.post({ type: 'report', report: reportForWebview(report), state });
  }

  /** Messages wait for the page's 'ready' (a message posted before the page listens is lost). */
  private post(m: HostToWebview): void {
    if (!this.ready) {
      // Only the latest Report matters; keep at most one pending 'report'.
      this.pending = m.type === 'report' ? [...this.pending.filter((p) => p.type !== 'report'), m] : [...this.pending, m];
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw, this.files);
    if (!parsed.ok) {
      log(`timeline panel: ignored a message from the page: ${parsed.reason}`);
      return;
    }
    const m: WebviewToHost = parsed.message;
    try {
      switch (m.type) {
        case 'ready': {
          this.ready = true;
          // A page that reloaded (or restored) says 'ready' again: it needs the Report again.
          if (this.report && !this.pending.some((q) => q.type === 'report')) {
            this.pending.unshift({ type: 'report', report: reportForWebview(this.report), state: { version: 1, reportKey: this.key } });
          }
          const queued = this.pending;
          this.pending = [];
          for (const q of queued) void this.panel.webview.postMessage(q);
          break;
        }
        case 'open-location':
          await this.openLocation(m.file, m.line);
          break;
        case 'selection':
          ReportPanel.selectionEmitter.fire({ key: this.key, startUs: m.startUs, endUs: m.endUs });
          break;
        case 'selection-cleared':
          ReportPanel.selectionEmitter.fire({ key: this.key, cleared: true });
          break;
        case 'export':
          await this.export(m);
          break;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`timeline panel: ${m.type} failed: ${message}`);
      void vscode.window.showErrorMessage(`Incident Lens: ${message}`);
    }
  }

  /** Opens a Report file at a 1-based line. Relative paths are tried against each workspace folder. */
  private async openLocation(file: string, line: number): Promise<void> {
    const candidates = path.isAbsolute(file)
      ? [vscode.Uri.file(file)]
      : (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, file));
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        continue;
      }
      const pos = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One, preview: true });
      return;
    }
    throw new Error(`${file} was not found${path.isAbsolute(file) ? '' : ' in the workspace'}`);
  }

  private async export(m: Extract<WebviewToHost, { type: 'export' }>): Promise<void> {
    if (!this.report) return;
    const names = { png: 'incident-lens-view.png', json: 'incident-lens-report.json', html: 'incident-lens-snapshot.html' } as const;
    const filters: Record<typeof m.format, Record<string, string[]>> = { png: { Image: ['png'] }, json: { JSON: ['json'] }, html: { HTML: ['html'] } };
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, names[m.format]) : undefined,
      filters: filters[m.format],
      title: `Export ${m.format.toUpperCase()}`,
    });
    if (!target) return;
    let bytes: Uint8Array;
    if (m.format === 'png') bytes = Buffer.from(m.dataUrl.slice(PNG_PREFIX.length), 'base64');
    else if (m.format === 'json') bytes = Buffer.from(JSON.stringify(this.report, null, 2));
    else {
      const read = async (...p: string[]): Promise<string> =>
        Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.context.extensionUri, ...p))).toString('utf8');
      const html = buildSnapshotHtml({ nonce: makeNonce(), script: await read('dist', 'webview.js'), style: await read('media', 'webview.css'), report: this.report, title: this.panel.title });
      bytes = Buffer.from(html);
    }
    await vscode.workspace.fs.writeFile(target, bytes);
    log(`timeline panel: exported ${m.format} to ${target.fsPath}`);
  }

  dispose(): void {
    if (ReportPanel.panels.get(this.key) === this) ReportPanel.panels.delete(this.key);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function focusState(key: string, focus: ReportPanelOptions['focus']): WebviewViewState {
  const state: WebviewViewState = { version: 1, reportKey: key };
  if (focus) {
    state.selectionUs = [focus.startUs, focus.endUs];
    state.viewUs = [focus.startUs, focus.endUs];
    if (focus.episodeId) state.episodeId = focus.episodeId;
  }
  return state;
}
