/**
 * Runs analyses for the extension: settings -> request -> worker job -> registry entry, with a progress
 * notification whose Cancel stops the worker, and errors turned into messages with "Show Log".
 * The host never parses: the worker runs the core.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/model';
import { AnalysisCancelledError, AnalysisWorkerClient, WorkerCrashedError } from '../worker/client';
import { AnalysisRegistry, analysisLabel, type AnalysisEntry } from './analysisRegistry';
import { log, logError, outputChannel, SHOW_LOG, showErrorWithLog } from './log';
import { allProblems, problemPlace } from './resultsTreeModel';
import { ignoredWorkspaceFormats, requestFor, workerMaxMemoryMb } from './settings';
import { progressText, progressPercent } from './progressModel';

export class AnalysisService implements vscode.Disposable {
  readonly registry = new AnalysisRegistry();
  private client: AnalysisWorkerClient | undefined;
  private clientMemoryMb = 0;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The worker client, created on first use (nothing heavy at activation) and re-created when the memory setting changes. */
  worker(): AnalysisWorkerClient {
    const mb = workerMaxMemoryMb();
    if (!this.client || (this.clientMemoryMb !== mb && this.client.running === 0)) {
      this.clientMemoryMb = mb;
      this.client = new AnalysisWorkerClient({
        workerPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'worker.js').fsPath,
        resourceLimits: { maxOldGenerationSizeMb: mb },
        log,
      });
    }
    return this.client;
  }

  /**
   * Analyses `paths` as one question. Resolves with the finished entry (any status) once the job has ended.
   * A running analysis of the same files (or the one named by `replaces`) is cancelled and replaced.
   */
  async run(paths: readonly string[], replaces?: string): Promise<AnalysisEntry | undefined> {
    if (paths.length === 0) return undefined;
    const { request, warnings } = requestFor(paths);
    if (ignoredWorkspaceFormats()) {
      warnings.push(
        'this workspace is not trusted, so the custom log formats (regular expressions) in its settings are ignored; trust the workspace or put the formats in your user settings.',
      );
    }
    for (const w of warnings) log(`settings: ${w}`);
    if (warnings.length) {
      const more = warnings.length > 1 ? ` (${warnings.length - 1} more in the log)` : '';
      void vscode.window.showWarningMessage(`Incident Lens: ${warnings[0]}${more}`, SHOW_LOG).then((pick) => pick && outputChannel().show(true));
    }
    const { entry, replaced } = this.registry.begin(request.paths, replaces ? { replaces } : {});
    for (const old of replaced) {
      log(`${old.id} replaced by ${entry.id}${old.cancel ? ': cancelling it' : ''}`);
      void old.cancel?.();
    }
    const label = analysisLabel(entry.paths);
    log(`${entry.id}: analysing ${entry.paths.join(', ')}`);
    const t0 = Date.now();

    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Incident Lens: analysing ${label}`, cancellable: true },
      async (progress, token) => {
        let shown = 0;
        const job = this.worker().analyze(request, {
          onProgress: (p) => {
            const pct = progressPercent(p);
            progress.report({ message: progressText(p), increment: pct > shown ? pct - shown : 0 });
            shown = Math.max(shown, pct);
          },
        });
        entry.cancel = () => job.cancel();
        const sub = token.onCancellationRequested(() => {
          log(`${entry.id}: cancel requested by the user`);
          void job.cancel();
        });
        try {
          const report = await job.result;
          if (this.registry.finish(entry.id, { report })) this.reportFinished(entry, report, Date.now() - t0);
        } catch (err) {
          this.reportFailure(entry, err);
        } finally {
          sub.dispose();
        }
      },
    );
    return this.registry.get(entry.id);
  }

  private reportFinished(entry: AnalysisEntry, report: Report, ms: number): void {
    const problems = allProblems(report);
    log(
      `${entry.id}: done in ${ms} ms: ${report.loops.length} loops, ${report.events.length} events, ${report.chains.length} chains, ${problems.length} input problems`,
    );
    for (const p of problems) log(`  problem: ${p.file}${problemPlace(p) ? ` (${problemPlace(p)})` : ''}: ${p.message}`);
    if (problems.length) {
      const first = problems[0]!;
      const place = problemPlace(first);
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems; see the Results view)` : '';
      void vscode.window.showWarningMessage(
        `Incident Lens: ${path.basename(first.file)}${place ? `, ${place}` : ''}: ${first.message}${first.fatal ? ' Reading stopped there; everything before was kept.' : ''}${more}`,
      );
    }
  }

  private reportFailure(entry: AnalysisEntry, err: unknown): void {
    const label = analysisLabel(entry.paths);
    if (err instanceof AnalysisCancelledError) {
      this.registry.finish(entry.id, { cancelled: true });
      log(`${entry.id}: cancelled`);
      return;
    }
    // WorkerCrashedError and AnalysisFailedError carry messages written for users; anything else is a host bug.
    const message = `Incident Lens: analysing ${label} failed: ${err instanceof Error ? err.message : String(err)}`;
    logError(`${entry.id}: ${message}${err instanceof WorkerCrashedError && err.detail ? `\n${err.detail}` : ''}`);
    // A replaced entry is gone from the registry: its failure is logged, not shown.
    if (this.registry.finish(entry.id, { error: message.replace(/^Incident Lens: /, '') })) void showErrorWithLog(message);
  }

  async cancelAll(): Promise<void> {
    await Promise.all(this.registry.running().map((e) => e.cancel?.()));
  }

  dispose(): void {
    void this.client?.dispose();
  }
}
