/**
 * The measured stages. Each runs in its own child process (see main.ts) so that peak RSS belongs to that stage
 * alone; a stage prints one JSON line: { items, bytes } and the parent adds wall time and maxRSS.
 */
import { openSync, readSync, closeSync, fstatSync, createReadStream } from 'node:fs';
import { readCaptureFile } from '../src/core/capture/open';
import { createDecodedPacket, decodeFrame } from '../src/core/decode/decoder';
import { analyze } from '../src/core/analyze';
import { readLogFiles } from '../src/core/analyze/logThreads';

export interface StageResult {
  items: number;
  bytes: number;
  extra?: Record<string, number>;
  /** Seconds spent in the stage itself, without process start-up (measured in the child). */
  seconds?: number;
  /** CPU seconds (user + system) the stage itself used (measured in the child). */
  cpuSeconds?: number;
}

type Stage = (files: string[]) => Promise<StageResult>;

/** The practical ceiling: read every byte into one reused buffer and touch each 32-bit word. */
async function rawRead(files: string[]): Promise<StageResult> {
  const buf = Buffer.alloc(4 << 20);
  const words = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
  let acc = 0;
  let bytes = 0;
  for (const f of files) {
    const fd = openSync(f, 'r');
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const w = n >> 2;
      for (let i = 0; i < w; i++) acc ^= words[i];
      bytes += n;
    }
    closeSync(fd);
  }
  return { items: acc === 0x7fffffff ? 1 : 0, bytes };
}

async function frames(files: string[]): Promise<StageResult> {
  let items = 0;
  let bytes = 0;
  for (const f of files) {
    const s = await readCaptureFile(f, () => {
      items++;
    });
    bytes += s.bytesRead;
  }
  return { items, bytes };
}

async function packets(files: string[]): Promise<StageResult> {
  let items = 0;
  let bytes = 0;
  let ip = 0;
  const out = createDecodedPacket();
  for (const f of files) {
    const s = await readCaptureFile(f, (fr) => {
      decodeFrame(fr.bytes, fr.linkType, out, fr.start, fr.start + fr.capLen);
      items++;
      ip += out.ipCount;
    });
    bytes += s.bytesRead;
  }
  return { items, bytes, extra: { ipLayers: ip } };
}

/** The whole analysis as the CLI and the extension run it (a large capture keeps two threads busy). */
async function analyzeStage(files: string[], singleThread = false): Promise<StageResult> {
  const report = await analyze({ paths: files, ...(singleThread ? { singleThread } : {}) }, {});
  let items = 0;
  let bytes = 0;
  for (const i of report.inputs) {
    bytes += i.sizeBytes;
    items += i.kind === 'capture' ? i.packets : i.lines;
  }
  const loopedPackets = report.loops.reduce((n, l) => n + l.loopedPackets, 0);
  return { items, bytes, extra: { loops: report.loops.length, events: report.events.length, tcpFlows: report.impact.tcpFlows, loopedPackets } };
}

/** The npm package the original design named, reading the same classic pcap (it has no pcapng). */
async function pcapParser(files: string[]): Promise<StageResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pcapp = require('pcap-parser') as { parse(f: string): NodeJS.EventEmitter };
  let items = 0;
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      const p = pcapp.parse(f);
      p.on('packet', () => {
        items++;
      });
      p.on('end', () => resolve());
      p.on('error', reject);
    });
  }
  return { items, bytes: files.reduce((a, f) => a + fileSize(f), 0) };
}

function fileSize(f: string): number {
  const fd = openSync(f, 'r');
  const size = fstatSync(fd).size;
  closeSync(fd);
  return size;
}

/** Log files as analyze reads them: several at once, one thread per core (threads: 1 reads them one by one here). */
async function logs(files: string[], threads?: number): Promise<StageResult> {
  let items = 0;
  let bytes = 0;
  let events = 0;
  const requests = files.map((path) => ({ path, sizeBytes: fileSize(path), options: {} }));
  for (const o of await readLogFiles(requests, threads === undefined ? {} : { threads })) {
    if (!o.ok) throw o.error;
    items += o.result.summary.lines;
    bytes += o.result.summary.sizeBytes;
    events += o.result.events.length;
  }
  return { items, bytes, extra: { events } };
}

/** The peer for log parsing: stream the file, split into lines as strings, count them. */
async function lineSplit(files: string[]): Promise<StageResult> {
  let items = 0;
  let bytes = 0;
  for (const f of files) {
    let rest = '';
    for await (const chunk of createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop() ?? '';
      items += parts.length;
    }
    if (rest) items++;
    bytes += fileSize(f);
  }
  return { items, bytes };
}

export const stages: Record<string, Stage> = {
  raw: rawRead,
  frames,
  packets,
  analyze: (files) => analyzeStage(files),
  'analyze-1t': (files) => analyzeStage(files, true),
  'pcap-parser': pcapParser,
  logs: (files) => logs(files),
  'logs-1t': (files) => logs(files, 1),
  'line-split': lineSplit,
};
