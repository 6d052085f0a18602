/**
 * Inline annotations on log lines used by an analysis: after-line text, gutter icon, hover with the chain,
 * and a CodeLens above each chain's first line. What to show comes from annotationModel.ts; this file only
 * renders it. Colours are theme colour ids contributed in package.json, so light, dark and high-contrast
 * themes each get their own.
 */
import * as vscode from 'vscode';
import type { Report } from '../core/model';
import type { AnalysisRegistry } from './analysisRegistry';
import { annotationsFor, buildAnnotations, HOVER_COMMANDS, type LineAnnotation } from './annotationModel';
import { annotationsEnabled } from './settings';
import { SETTING } from './requestSettings';

export class LogAnnotations implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly indexes = new WeakMap<Report, ReturnType<typeof buildAnnotations>>();
  private readonly chainType: vscode.TextEditorDecorationType;
  private readonly eventType: vscode.TextEditorDecorationType;
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private enabled = annotationsEnabled();

  constructor(private readonly registry: AnalysisRegistry, extensionUri: vscode.Uri) {
    const after = (color: string): vscode.ThemableDecorationAttachmentRenderOptions => ({
      color: new vscode.ThemeColor(color),
      margin: '0 0 0 2em',
      fontStyle: 'italic',
    });
    this.chainType = vscode.window.createTextEditorDecorationType({
      after: after('incidentLens.chainAnnotationForeground'),
      backgroundColor: new vscode.ThemeColor('incidentLens.chainLineBackground'),
      borderColor: new vscode.ThemeColor('incidentLens.chainLineBorder'),
      borderStyle: 'solid',
      borderWidth: '0 0 1px 0',
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'chain.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('incidentLens.chainAnnotationForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.eventType = vscode.window.createTextEditorDecorationType({
      after: after('incidentLens.eventAnnotationForeground'),
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'event.svg'),
      gutterIconSize: 'contain',
    });
    this.disposables.push(
      this.chainType,
      this.eventType,
      this.lensChanged,
      registry.onDidChange(() => this.refreshAll()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTING.annotationsEnabled)) {
          this.enabled = annotationsEnabled();
          this.refreshAll();
        }
      }),
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
    );
    this.refreshAll();
  }

  toggle(): boolean {
    this.enabled = !this.enabled;
    this.refreshAll();
    return this.enabled;
  }

  /** The newest finished analysis that read this file, and the file's annotations in it. */
  private lookup(file: string): { analysisId: string; lines: LineAnnotation[] } | undefined {
    if (!this.enabled) return undefined;
    for (const entry of this.registry.list()) {
      if (!entry.report) continue;
      let index = this.indexes.get(entry.report);
      if (!index) this.indexes.set(entry.report, (index = buildAnnotations(entry.report, entry.id)));
      const lines = annotationsFor(index, file);
      if (lines.length) return { analysisId: entry.id, lines };
    }
    return undefined;
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.decorate(editor);
    this.lensChanged.fire();
  }

  private decorate(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const found = doc.uri.scheme === 'file' ? this.lookup(doc.uri.fsPath) : undefined;
    const chain: vscode.DecorationOptions[] = [];
    const event: vscode.DecorationOptions[] = [];
    for (const a of found?.lines ?? []) {
      if (a.line < 1 || a.line > doc.lineCount) continue;
      const line = doc.lineAt(a.line - 1);
      const hover = new vscode.MarkdownString(a.hoverMarkdown);
      hover.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
      const opts: vscode.DecorationOptions = {
        range: new vscode.Range(line.range.end, line.range.end),
        hoverMessage: hover,
        renderOptions: { after: { contentText: `  ${a.afterText}` } },
      };
      (a.kind === 'chain' ? chain : event).push(opts);
    }
    editor.setDecorations(this.chainType, chain);
    editor.setDecorations(this.eventType, event);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const found = this.lookup(doc.uri.fsPath);
    if (!found) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const a of found.lines) {
      if (a.line < 1 || a.line > doc.lineCount) continue;
      for (const chainId of a.chainStarts) {
        lenses.push(
          new vscode.CodeLens(doc.lineAt(a.line - 1).range, {
            title: 'Incident Lens: show chain in timeline',
            command: 'incidentLens.showTimeline',
            arguments: [{ analysisId: found.analysisId, focus: { kind: 'chain', chainId } }],
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
