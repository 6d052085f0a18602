/**
 * `incident-lens analyze <files|folders...>`: the whole analysis (core/analyze) for terminals, CI and batch
 * runs. Writes the Report as JSON (--json, --out) or a readable summary; progress goes to stderr only when
 * stderr is a terminal, so pipes and CI logs stay clean.
 */
import { writeFile } from 'node:fs/promises';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { analyze } from '../../core/analyze';
import { reportText, timeFormatter } from '../../core/analyze/reportText';
import type { AnalyzeProgress, AnalyzeRequest, FileTimeSettings } from '../../core/model/analysis';
import { LOG_OPTION_SPEC, LOG_OPTIONS_USAGE, parseCliArgs, parseLogOptions, type LogOptions } from '../logOptions';

const USAGE = `Usage: incident-lens analyze [options] <file|folder...>

Finds routing loops in pcap/pcapng captures (and reads log files) and writes one Report. Files are recognised by
their content, not their name; folders are read recursively.

  --json                  print the Report as JSON (docs/report-schema.md) instead of the summary
  --out <file>            also write the Report as JSON to <file>
  --stall-ms <n>          a TCP flow with data outstanding and unacknowledged for over n ms is stalled (default 200)
  --single-thread         use one thread only (by default a large capture keeps two cores busy; same results)
${LOG_OPTIONS_USAGE}
                          (--tz also sets the zone of the summary's times; the Report's times are always UTC)
  -h, --help

Exit status: 0 done; 2 an input was damaged or unreadable (everything readable was still analysed and
reported); 1 usage error.`;

interface Options {
  json: boolean;
  out: string | null;
  timeZone: string | null;
  stallMs: number | null;
  singleThread: boolean;
  log: LogOptions;
  paths: string[];
}

function parseOptions(args: string[]): Options {
  const { values, positionals } = parseCliArgs(args, {
    ...LOG_OPTION_SPEC,
    json: { type: 'boolean' },
    out: { type: 'string' },
    'stall-ms': { type: 'string' },
    'single-thread': { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('no capture or log file given');
  let stallMs: number | null = null;
  if (values['stall-ms'] !== undefined) {
    stallMs = Number(values['stall-ms']);
    if (!/^\d+(\.\d+)?$/.test(values['stall-ms']) || !(stallMs > 0)) throw new UsageError(`--stall-ms wants a positive number of milliseconds, not '${values['stall-ms']}'`);
  }
  const log = parseLogOptions(values);
  const timeZone = log.timeZone ?? null;
  if (timeZone !== null) {
    try {
      timeFormatter(timeZone);
    } catch {
      throw new UsageError(`--tz: unknown time zone '${timeZone}' (use an IANA name like Europe/Berlin, or +02:00)`);
    }
  }
  return { json: values.json === true, out: values.out ?? null, timeZone, stallMs, singleThread: values['single-thread'] === true, log, paths: positionals };
}

/** Per-file time settings from the shared log options ('*' = every file without its own). */
function fileSettings(log: LogOptions): Record<string, FileTimeSettings> {
  const out: Record<string, FileTimeSettings> = {};
  for (const [file, ms] of log.offsets) out[file] = { ...out[file], clockOffsetMs: ms };
  if (log.year !== undefined) out['*'] = { ...out['*'], year: log.year };
  return out;
}

/** One self-overwriting status line on a terminal, at most every 100 ms. */
function progressLine(io: CliIo): { update: (p: AnalyzeProgress) => void; clear: () => void } {
  if (!io.stderr.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.phase !== 'done') return;
      last = now;
      const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
      io.stderr.write(`\r\x1b[2K${p.phase} ${pct}%${p.file ? ` ${p.file}` : ''}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'Find routing loops in captures, measure their impact, and write a Report (summary or JSON)',
  usage: USAGE,
  async run(args, io) {
    const opts = parseOptions(args);
    const request: AnalyzeRequest = { paths: opts.paths };
    if (opts.timeZone !== null) request.defaultTimeZone = opts.timeZone;
    if (opts.stallMs !== null) request.stallThresholdMs = opts.stallMs;
    if (opts.singleThread) request.singleThread = true;
    const settings = fileSettings(opts.log);
    if (Object.keys(settings).length) request.fileSettings = settings;
    if (opts.log.customFormats.length) request.customLogFormats = opts.log.customFormats;
    const progress = progressLine(io);
    const report = await analyze(request, { onProgress: progress.update });
    progress.clear();
    // Compact: a ladder of 200,000 sightings pretty-printed would be a million lines.
    const json = `${JSON.stringify(report)}\n`;
    if (opts.out !== null) {
      try {
        await writeFile(opts.out, json);
      } catch (e) {
        io.stderr.write(`incident-lens analyze: cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
        return 2;
      }
    }
    io.stdout.write(opts.json ? json : reportText(report, opts.timeZone !== null ? { timeZone: opts.timeZone } : {}));
    const fatal = report.inputs.some((i) => i.problems.some((p) => p.fatal));
    return fatal ? 2 : 0;
  },
};
