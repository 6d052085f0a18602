/**
 * Files -> Report. The one entry point the CLI, the worker and the tests call:
 * list and classify the inputs (by content), stream each capture through reader -> decoder -> detectors,
 * read each log, correlate, and assemble a Report with stable ids. Never throws on bad input bytes (damage
 * becomes `inputs[].problems` and every good result is kept); rejects only on cancellation (AbortError,
 * checked between chunks of every file) or an internal bug.
 */
import { resolve } from 'node:path';
import { analyzeCapture, type CaptureRunResult } from './analyze/captureRun';
import { assembleFindings } from './analyze/assemble';
import { classifyInput, listInputs, type InputFile } from './analyze/inputs';
import { toolVersion } from './analyze/toolVersion';
import { correlate } from './correlate/index';
import { logThreadCount, readLogFiles, type LogFileOutcome, type PlainLogOptions } from './analyze/logThreads';
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
  const inputs: InputSummary[] = unreadable.map((u) => unreadableInput(u.path, u.message, u.explicit));

  // Every file is classified first: the logs can then be read in other threads while the captures are analysed.
  // Inputs are listed as before: captures and unusable files in file order, then the logs.
  const fileInputs: (InputSummary | undefined)[] = files.map(() => undefined);
  const captureFiles: { file: InputFile; format: string; slot: number }[] = [];
  const texts: InputFile[] = [];
  for (const [slot, file] of files.entries()) {
    signal?.throwIfAborted();
    let cls;
    try {
      cls = await classifyInput(file.path);
    } catch (e) {
      fileInputs[slot] = unreadableInput(file.path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file.explicit);
      bytesDone += file.sizeBytes;
      continue;
    }
    if (cls.kind === 'text') texts.push(file);
    else if (cls.kind === 'capture') captureFiles.push({ file, format: cls.format, slot });
    else {
      fileInputs[slot] = skippedInput(file, cls.reason);
      bytesDone += file.sizeBytes;
    }
  }

  // Bytes done = files skipped + captures so far + each log's own count (logs may be read meanwhile).
  const logBytes = texts.map(() => 0);
  let captureBytes = bytesDone;
  const countDone = (): void => {
    bytesDone = captureBytes + logBytes.reduce((n, b) => n + b, 0);
  };
  // While captures are analysed, logs read meanwhile only move the byte count: the phase stays 'captures' (a phase
  // change is always passed on at once, so alternating phases would flood the progress channel).
  let captureNow: string | null = captureFiles[0]?.file.path ?? null;
  const logRequests = texts.map((file) => ({ path: file.path, sizeBytes: file.sizeBytes, options: logOptionsFor(request, file.path) }));
  const startLogs = (): Promise<LogFileOutcome[]> => readLogFiles(logRequests, {
    ...(signal ? { signal } : {}),
    onProgress: (i, read) => {
      logBytes[i] = Math.min(read, texts[i]!.sizeBytes);
      countDone();
      if (captureNow !== null) progress('captures', captureNow);
      else progress('logs', texts[i]!.path);
    },
  });
  let logsRun: Promise<LogFileOutcome[]> | null = null;
  if (logThreadCount(logRequests) > 0) {
    logsRun = startLogs();
    // Awaited after the captures; a cancellation meanwhile rejects both.
    logsRun.catch(() => undefined);
  }

  const captures: CaptureRunResult[] = [];
  for (const { file, format, slot } of captureFiles) {
    signal?.throwIfAborted();
    const before = captureBytes;
    captureNow = file.path;
    progress('captures', file.path);
    const result = await analyzeCapture(file.path, format, file.sizeBytes, {
      ...(signal ? { signal } : {}),
      ...(request.loopDetection ? { loopDetection: request.loopDetection } : {}),
      secondThread: request.singleThread ? 'off' : 'auto',
      stallThresholdMs,
      onBytes: (read) => {
        captureBytes = before + Math.min(read, file.sizeBytes);
        countDone();
        progress('captures', file.path);
      },
    });
    captureBytes = before + file.sizeBytes;
    captures.push(result);
    fileInputs[slot] = result.summary;
  }
  captureNow = null;
  for (const input of fileInputs) if (input) inputs.push(input);

  const logsRead = logsRun ?? startLogs();
  if (texts.length) progress('logs');
  const outcomes = await logsRead;
  const events: LogEvent[] = [];
  outcomes.forEach((o, i) => {
    const file = texts[i]!;
    if (o.ok) {
      inputs.push(o.result.summary);
      for (const ev of o.result.events) events.push(ev);
    } else {
      inputs.push(unreadableInput(file.path, `cannot read: ${(o.error as NodeJS.ErrnoException).code ?? String(o.error)}`, file.explicit));
    }
  });
  bytesDone = captureBytes + texts.reduce((n, f) => n + f.sizeBytes, 0);
  // Ids across files, in time order (ties: file order, then line).
  events.sort((a, b) => a.timeUs - b.timeUs);
  events.forEach((ev, i) => {
    ev.id = `ev-${i + 1}`;
  });

  progress('correlating');
  const { loops, impact } = assembleFindings(captures, stallThresholdMs);
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

/** A log's read options from the request: its own settings, else those of '*', else the defaults. */
function logOptionsFor(request: AnalyzeRequest, path: string): PlainLogOptions {
  // Keyed by the path as given or as absolute (the extension sends absolute paths, a CLI user relative ones).
  const settings = { ...request.fileSettings?.['*'], ...(request.fileSettings?.[path] ?? request.fileSettings?.[resolve(path)]) };
  const timeZone = settings.timeZone ?? request.defaultTimeZone;
  return {
    ...(timeZone !== undefined ? { timeZone } : {}),
    ...(settings.clockOffsetMs !== undefined ? { clockOffsetMs: settings.clockOffsetMs } : {}),
    ...(settings.year !== undefined ? { year: settings.year } : {}),
    ...(request.customLogFormats ? { customFormats: request.customLogFormats } : {}),
  };
}

/**
 * A path that could not be read or used; listed as a log input (its kind is unknown) with the reason. Fatal when
 * the user named it (they asked for that file), a warning when it was met while walking a folder.
 */
function unreadableInput(path: string, message: string, explicit: boolean): LogInputSummary {
  return { ...emptyLog(path, 0), problems: [{ severity: explicit ? 'error' : 'warning', message, fatal: explicit }] };
}

/** A file that was not analysed, with the reason (fatal when named by the user, as above). */
function skippedInput(file: InputFile, reason: string): LogInputSummary {
  const message = `not used: ${reason}`;
  return { ...emptyLog(file.path, file.sizeBytes), problems: [{ severity: file.explicit ? 'error' : 'warning', message, fatal: file.explicit }] };
}

function emptyLog(path: string, sizeBytes: number): LogInputSummary {
  return { kind: 'log', path, format: 'unknown', sizeBytes, lines: 0, events: 0, ignoredLines: 0, timeZone: 'UTC', clockOffsetMs: 0, problems: [] };
}
