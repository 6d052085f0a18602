/**
 * The custom read-only editor for captures (.pcapng, .pcap, .cap, .pcap.gz). The file is never opened as a
 * TextDocument (VS Code hides documents over 50 MB from extensions, and captures are binary): the worker
 * reads it from disk and sends back a summary; the page shows it with an "Analyze" button.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/model';
import { AnalysisCancelledError } from '../worker/client';
import { analysisReads } from './analysisRegistry';
import type { AnalysisService } from './analysisService';
import { captureEditorHtml, isCaptureEditorMessage, type CaptureEditorState } from './captureEditorHtml';
import { log, outputChannel } from './log';
import { makeNonce } from './webviewHtml';
import { progressPercent } from './progressModel';

export const CAPTURE_EDITOR_VIEW_TYPE = 'incidentLens.capture';

class CaptureDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  constructor(
    private readonly service: AnalysisService,
    private readonly analyze: (uri: vscode.Uri) => Thenable<unknown>,
    private readonly showTimelineFor: (uri: vscode.Uri) => Thenable<unknown>,
  ) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    return new CaptureDocument(uri);
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const fileName = path.basename(document.uri.fsPath);
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    // The newest finished analysis that read this capture (alone or with logs).
    const latest = () => this.service.registry.list().find((e) => e.report && analysisReads(e, document.uri.fsPath));
    let shownReport: Report | undefined;
    const loopsOf = () => {
      shownReport = latest()?.report;
      return shownReport?.loops.filter((l) => l.capture === document.uri.fsPath);
    };
    let state: CaptureEditorState = { status: 'reading', fileName, percent: 0 };
    const render = () => {
      panel.webview.html = captureEditorHtml(state, makeNonce(), panel.webview.cspSource);
    };
    render();

    const disposables: vscode.Disposable[] = [];
    if (document.uri.scheme !== 'file') {
      state = { status: 'error', fileName, message: `${document.uri.toString()} is not a local file; Incident Lens reads captures from disk.` };
      render();
      return;
    }
    const job = this.service.worker().summarizeCapture(document.uri.fsPath, {
      onProgress: (p) => {
        const percent = progressPercent(p);
        if (state.status === 'reading' && percent !== state.percent) {
          state = { status: 'reading', fileName, percent };
          render();
        }
      },
    });
    job.result.then(
      (summary) => {
        const loops = loopsOf();
        state = { status: 'ready', fileName, summary, analysed: !!loops, ...(loops ? { loops } : {}) };
        render();
      },
      (err: Error) => {
        if (err instanceof AnalysisCancelledError) return;
        log(`capture editor: ${document.uri.fsPath}: ${err.message}`);
        state = { status: 'error', fileName, message: `${document.uri.fsPath} could not be read: ${err.message}` };
        render();
      },
    );
    disposables.push(
      this.service.registry.onDidChange(() => {
        if (state.status !== 'ready' || latest()?.report === shownReport) return;
        const loops = loopsOf();
        state = { status: 'ready', fileName, summary: state.summary, analysed: !!loops, ...(loops ? { loops } : {}) };
        render();
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isCaptureEditorMessage(m)) {
          log(`capture editor: ignored an unexpected message from the page: ${JSON.stringify(m)?.slice(0, 200)}`);
          return;
        }
        if (m.type === 'analyze') void this.analyze(document.uri);
        else if (m.type === 'show-timeline') void this.showTimelineFor(document.uri);
        else outputChannel().show(true);
      }),
    );
    panel.onDidDispose(() => {
      void job.cancel();
      for (const d of disposables) d.dispose();
    });
  }
}
