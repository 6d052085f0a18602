/**
 * Files -> Report. The one entry point the CLI, the worker and the tests call:
 * list and classify the inputs (by content), stream each capture through reader -> decoder -> detectors,
 * read each log, correlate, and assemble a Report with stable ids. Never throws on bad input bytes (damage
 * becomes `inputs[].problems` and every good result is kept); rejects only on cancellation (AbortError,
 * checked between chunks of every file) or an internal bug.
 */
import { analyzeCapture, type CaptureRunResult } from './analyze/captureRun';
import { assembleFindings } from './analyze/assemble';
import { classifyInput, listInputs, type InputFile } from './analyze/inputs';
import { toolVersion } from './analyze/toolVersion';
import { correlate } from './correlate/index';
import type { LogEvent } from './model/events';
import type { AnalyzeHooks, AnalyzePhase, AnalyzeRequest } from './model/analysis';
import type { InputSummary, LogInputSummary, Report } from './model/report';
import { REPORT_SCHEMA_VERSION } from './model/report';
import { isoFromMicros } from './model/time';

export const DEFAULT_STALL_THRESHOLD_MS = 200;

export async function analyze(request: AnalyzeRequest, hooks: AnalyzeHooks = {}): Promise<Report> {
  const { signal, onProgress } = hooks;
  const stallThresholdMs = request.stallThresholdMs ?? DEFAULT_STALL_THRESHOLD_MS;
  signal?.throwIfAborted();
  let bytesDone = 0;
  let bytesTotal = 0;
  const progress = (phase: AnalyzePhase, file?: string, message?: string): void => {
    onProgress?.({ phase, bytesDone, bytesTotal, ...(file !== undefined ? { file } : {}), ...(message !== undefined ? { message } : {}) });
  };

  progress('scanning');
  const { files, unreadable } = await listInputs(request.paths, signal);
  bytesTotal = files.reduce((n, f) => n + f.sizeBytes, 0);
  const inputs: InputSummary[] = unreadable.map((u) => unreadableInput(u.path, u.message));

  const captures: CaptureRunResult[] = [];
  const texts: InputFile[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    let cls;
    try {
      cls = await classifyInput(file.path);
    } catch (e) {
      inputs.push(unreadableInput(file.path, `cannot read ${file.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
      bytesDone += file.sizeBytes;
      continue;
    }
    if (cls.kind === 'text') {
      texts.push(file);
      continue;
    }
    if (cls.kind === 'skip') {
      inputs.push(skippedInput(file, cls.reason));
      bytesDone += file.sizeBytes;
      continue;
    }
    const before = bytesDone;
    progress('captures', file.path);
    const result = await analyzeCapture(file.path, cls.format, file.sizeBytes, {
      ...(signal ? { signal } : {}),
      stallThresholdMs,
      onBytes: (read) => {
        bytesDone = before + Math.min(read, file.sizeBytes);
        progress('captures', file.path);
      },
    });
    bytesDone = before + file.sizeBytes;
    captures.push(result);
    inputs.push(result.summary);
  }

  // Logs: the log reader (core/logs) plugs in here; until then a text file is listed, not read.
  for (const file of texts) {
    signal?.throwIfAborted();
    progress('logs', file.path);
    inputs.push(skippedInput(file, 'log reading is not available in this build: the file was not read'));
    bytesDone += file.sizeBytes;
  }

  progress('correlating');
  const { loops, impact } = assembleFindings(captures, stallThresholdMs);
  const events: LogEvent[] = [];
  const { chains, patterns, hypotheses } = correlate({ loops, events, impact, inputs });
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'incident-lens', version: toolVersion },
    generatedAt: isoFromMicros(Date.now() * 1000),
    inputs,
    loops,
    impact,
    events,
    chains,
    patterns,
    hypotheses,
  };
  bytesDone = bytesTotal;
  progress('done');
  return report;
}

/** A path that could not be read at all; listed as a log input (its kind is unknown) with a fatal problem. */
function unreadableInput(path: string, message: string): LogInputSummary {
  return { ...emptyLog(path, 0), problems: [{ severity: 'error', message, fatal: true }] };
}

/** A file that was not analysed, with the reason (a warning: nothing in it was lost that could have been read). */
function skippedInput(file: InputFile, reason: string): LogInputSummary {
  return { ...emptyLog(file.path, file.sizeBytes), problems: [{ severity: 'warning', message: `${file.path}: skipped: ${reason}`, fatal: false }] };
}

function emptyLog(path: string, sizeBytes: number): LogInputSummary {
  return { kind: 'log', path, format: 'unknown', sizeBytes, lines: 0, events: 0, ignoredLines: 0, timeZone: 'UTC', clockOffsetMs: 0, problems: [] };
}
