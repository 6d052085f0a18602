/**
 * `incident-lens events <files...>`: the events the log reader finds, merged across files in time order,
 * as JSON lines (--json) or a table. Lines that are not events are counted per file (on stderr), never printed.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import type { LogEvent } from '../../core/model/events';
import type { LogInputSummary } from '../../core/model/report';
import { sniffLogFile } from '../../core/logs/read';
import { readLogFiles, type LogFileRequest, type PlainLogOptions } from '../../core/analyze/logThreads';
import type { LogReadOptions } from '../../core/logs/read';
import { LOG_OPTION_SPEC, LOG_OPTIONS_USAGE, parseCliArgs, parseLogOptions } from '../logOptions';
import { estimateClockOffsets } from '../../core/logs/clockOffsets';

const USAGE = `Usage: incident-lens events [options] <log file|folder...>

Reads log files (kubelet/kube-router klog, CRI and Docker container logs, kubectl events/describe, GoBGP, FRR,
BIRD, Cisco/Junos/Arista/Huawei/H3C syslog, RFC 3164/5424, journald, nginx/Envoy/Java/Go timeouts, cgroup
cpu.stat and Prometheus throttling samples; gzip too) and prints their events in time order (UTC). Folders are
read recursively; files in them that are not text (captures) are skipped.
Lines that are not events are counted, not printed. Summaries and problems go to stderr.

  --json                  one JSON object (a Report LogEvent) per line instead of the table
${LOG_OPTIONS_USAGE}
  --slow-ms <n>           access-log latency that makes a slow-response event (default 1000)
  --estimate-offsets      also estimate clock offsets between the files from occurrences both logged (stderr)
  -h, --help

Exit status: 0 done; 2 a file was unreadable or not a text log (the others were still read); 1 usage error.`;

interface Options {
  json: boolean;
  estimate: boolean;
  read: LogReadOptions;
  offsets: Map<string, number>;
  paths: string[];
}

function parseOptions(args: string[]): Options {
  const { values, positionals } = parseCliArgs(args, {
    ...LOG_OPTION_SPEC,
    json: { type: 'boolean' },
    'slow-ms': { type: 'string' },
    'estimate-offsets': { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('no log file given');
  const log = parseLogOptions(values);
  const read: LogReadOptions = {};
  if (log.year !== undefined) read.year = log.year;
  if (log.timeZone !== undefined) read.timeZone = log.timeZone;
  if (log.customFormats.length) read.customFormats = log.customFormats;
  if (values['slow-ms'] !== undefined) {
    const v = Number(values['slow-ms']);
    if (!(v > 0)) throw new UsageError(`--slow-ms wants a positive number of milliseconds, not '${values['slow-ms']}'`);
    read.slowResponseMs = v;
  }
  return { json: values.json === true, estimate: values['estimate-offsets'] === true, read, offsets: log.offsets, paths: positionals };
}

function details(e: LogEvent): string {
  const parts: string[] = [];
  if (e.peer || e.peerName) parts.push(`peer ${e.peer ?? ''}${e.peerName ? `(${e.peerName})` : ''}${e.peerAs ? ` AS${e.peerAs}` : ''}`);
  if (e.fromState || e.toState) parts.push(`${e.fromState ?? '?'}->${e.toState ?? '?'}`);
  if (e.namespace || e.pod) parts.push(`pod ${e.namespace ? `${e.namespace}/` : ''}${e.pod ?? ''}`);
  if (e.container) parts.push(`container ${e.container}`);
  if (e.latencyMs !== undefined) parts.push(`${e.latencyMs} ms`);
  if (e.throttledPeriods !== undefined) parts.push(`throttled ${e.throttledPeriods}${e.periods !== undefined ? `/${e.periods}` : ''}`);
  if (e.count !== undefined) parts.push(`x${e.count}`);
  return parts.join(', ');
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function writeTable(io: CliIo, events: LogEvent[]): void {
  const rows = events.map((e) => [e.time, e.kind, `${e.source.file.split('/').pop()}:${e.source.line}`, details(e), oneLine(e.message, 120)]);
  const head = ['TIME (UTC)', 'KIND', 'SOURCE', 'DETAILS', 'MESSAGE'];
  const widths = head.map((h, i) => Math.min(i === 3 ? 48 : 60, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  io.stdout.write(`${fmt(head)}\n`);
  for (const r of rows) io.stdout.write(`${fmt(r)}\n`);
}

function summaryLine(s: LogInputSummary): string {
  const offset = s.clockOffsetMs ? `, clock offset ${s.clockOffsetMs} ms` : '';
  return `${s.path}: ${s.format}, ${s.lines} lines, ${s.events} events, ${s.ignoredLines} lines not events, zone ${s.timeZone}${offset}`;
}

/** Folders are read recursively (hidden entries skipped); files found there that are not text are skipped, not errors. */
async function expandFolders(paths: string[]): Promise<{ path: string; inFolder: boolean; empty?: boolean }[]> {
  const out: { path: string; inFolder: boolean; empty?: boolean }[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push({ path: p, inFolder: true });
    }
  };
  for (const p of paths) {
    const st = await stat(p).catch(() => undefined);
    if (st?.isDirectory()) {
      const before = out.length;
      await walk(p);
      // A folder named on the command line with no file in it is a mistake worth saying (as analyze does).
      if (out.length === before) out.push({ path: p, inFolder: false, empty: true });
    } else out.push({ path: p, inFolder: false });
  }
  return out;
}

async function looksLikeText(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    return (bytes[0] === 0x1f && bytes[1] === 0x8b) || sniffLogFile(bytes);
  } finally {
    await fh.close();
  }
}

/** The size to weigh the file by (0 when it cannot be stat'ed: reading it then says why). */
async function sizeOf(path: string): Promise<number> {
  return stat(path).then((st) => st.size, () => 0);
}

export const eventsCommand: CliCommand = {
  name: 'events',
  summary: 'List the events (BGP, restarts, probes, timeouts, throttling) found in log files',
  usage: USAGE,
  async run(args, io) {
    const o = parseOptions(args);
    const all: LogEvent[] = [];
    let status = 0;
    const requests: LogFileRequest[] = [];
    for (const { path, inFolder, empty } of await expandFolders(o.paths)) {
      if (empty) {
        io.stderr.write(`${path}: empty folder: no log files in it\n`);
        status = 2;
        continue;
      }
      if (inFolder && !(await looksLikeText(path))) {
        io.stderr.write(`${path}: skipped (not a text log)\n`);
        continue;
      }
      const read: PlainLogOptions = { ...o.read };
      const offset = o.offsets.get(path) ?? o.offsets.get('*');
      if (offset !== undefined) read.clockOffsetMs = offset;
      requests.push({ path, sizeBytes: await sizeOf(path), options: read });
    }
    // Several files are read at once, one thread per core (as analyze does); reported in the order given.
    const outcomes = await readLogFiles(requests, {});
    outcomes.forEach((r, i) => {
      if (!r.ok) {
        io.stderr.write(`${requests[i]!.path}: cannot read: ${r.error.message}\n`);
        status = 2;
        return;
      }
      io.stderr.write(`${summaryLine(r.result.summary)}\n`);
      for (const p of r.result.summary.problems) {
        io.stderr.write(`  ${p.severity}: ${p.message}${p.line !== undefined && !p.message.includes(`line ${p.line}`) ? ` (line ${p.line})` : ''}\n`);
        if (p.fatal) status = 2;
      }
      all.push(...r.result.events);
    });
    all.sort((a, b) => a.timeUs - b.timeUs || a.source.file.localeCompare(b.source.file) || a.source.line - b.source.line);
    all.forEach((e, i) => (e.id = `ev-${i + 1}`));
    if (o.json) for (const e of all) io.stdout.write(`${JSON.stringify(e)}\n`);
    else writeTable(io, all);
    if (o.estimate) {
      const est = estimateClockOffsets(all);
      if (!est.length) io.stderr.write('clock offsets: no pair of files shares enough occurrences to estimate one\n');
      for (const e of est) {
        io.stderr.write(`clock offset: ${e.file} is ${-e.offsetMs >= 0 ? '+' : ''}${-e.offsetMs} ms against ${e.reference} ` +
          `(${e.matches.length} shared occurrences, spread ${e.spreadMs} ms; fix with --clock-offset ${e.file}=${e.offsetMs})\n`);
      }
    }
    return status;
  },
};
