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
import { readLogFile } from './logs/read';
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

  const captures: CaptureRunResult[] = [];
  const texts: InputFile[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    let cls;
    try {
      cls = await classifyInput(file.path);
    } catch (e) {
      inputs.push(unreadableInput(file.path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file.explicit));
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
      ...(request.loopDetection ? { loopDetection: request.loopDetection } : {}),
      secondThread: request.singleThread ? 'off' : 'auto',
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

  const events: LogEvent[] = [];
  for (const file of texts) {
    signal?.throwIfAborted();
    const before = bytesDone;
    progress('logs', file.path);
    // Keyed by the path as given or as absolute (the extension sends absolute paths, a CLI user relative ones).
    // '*' holds settings for every file without its own (the CLI's --year / --clock-offset without a file name).
    const settings = { ...request.fileSettings?.['*'], ...(request.fileSettings?.[file.path] ?? request.fileSettings?.[resolve(file.path)]) };
    const timeZone = settings.timeZone ?? request.defaultTimeZone;
    try {
      const result = await readLogFile(file.path, {
        ...(timeZone !== undefined ? { timeZone } : {}),
        ...(settings.clockOffsetMs !== undefined ? { clockOffsetMs: settings.clockOffsetMs } : {}),
        ...(settings.year !== undefined ? { year: settings.year } : {}),
        ...(request.customLogFormats ? { customFormats: request.customLogFormats } : {}),
        ...(signal ? { signal } : {}),
        onProgress: (read) => {
          bytesDone = before + Math.min(read, file.sizeBytes);
          progress('logs', file.path);
        },
      });
      inputs.push(result.summary);
      for (const ev of result.events) events.push(ev);
    } catch (e) {
      if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) throw e;
      inputs.push(unreadableInput(file.path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file.explicit));
    }
    bytesDone = before + file.sizeBytes;
  }
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
