/**
 * What the fuzzer exercises: the same entry points the product uses, on bytes in memory.
 * A target returns normally for ANY input (damage is reported in its result, never thrown); a throw is a bug.
 */
import { readCaptureBytes } from '../../src/core/capture/open';
import { createDecodedPacket, decodeFrame } from '../../src/core/decode/decoder';
import { parseLogLines } from '../../src/core/logs/read';
import type { CustomLogFormat } from '../../src/core/model/analysis';
import { runAnalyze, runCaptureFile, runLogFile } from './fileTargets';
import { packetDifference } from '../helpers/samePacket';

export type TargetName = 'capture' | 'log' | 'captureFile' | 'logFile' | 'analyze';

const out = createDecodedPacket();
const inPlace = createDecodedPacket();

export function runCapture(bytes: Uint8Array): { frames: number; problems: number } {
  let frames = 0;
  const s = readCaptureBytes(bytes, 'fuzz-input', (f) => {
    decodeFrame(f.data, f.linkType, out);
    // The analysis decodes in the reader's buffer, amid the neighbouring records: it must see the same packet.
    decodeFrame(f.bytes, f.linkType, inPlace, f.start, f.start + f.capLen);
    const d = packetDifference(out, inPlace, f.start);
    if (d) throw new Error(`frame ${f.number} decodes differently in place: ${d}`);
    frames++;
  });
  // A damaged file must say where: every problem carries an offset inside the input.
  for (const p of s.problems) {
    if (!Number.isInteger(p.byteOffset) || p.byteOffset < 0 || p.byteOffset > bytes.length) {
      throw new Error(`problem with offset ${p.byteOffset} outside the ${bytes.length}-byte input: ${p.reason}`);
    }
    if (!p.reason) throw new Error('problem without a reason');
  }
  return { frames, problems: s.problems.length };
}

/** Splits like a line reader would (LF, keeping CR for the parser to handle) without building one giant array. */
function* lines(text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) yield text.slice(start);
      return;
    }
    yield text.slice(start, nl);
    start = nl + 1;
  }
}

/**
 * Custom log formats a user might write, including ones with catastrophic backtracking (nested quantifiers) and
 * syntax RE2 refuses: `param` 1..n picks one for a log input (0 = none). None may hang or throw.
 * Append only: saved findings name their format by this position.
 */
export const FUZZ_CUSTOM_FORMATS: CustomLogFormat[] = [
  { name: 'plain', pattern: '^(?<time>\\S+) (?<level>\\w+) (?<msg>.*)$' },
  { name: 'bracketed', pattern: '^\\[(?<time>[^\\]]+)\\] (?<host>\\S+) (?<msg>.*)$', timeFormat: 'YYYY-MM-DD HH:mm:ss.SSS' },
  { name: 'nested', pattern: '^(?<time>\\S+) (?<msg>(a+)+)$' },
  { name: 'words', pattern: '^(?<time>\\S+) (?<msg>(\\w+\\s?)*)$' },
  { name: 'alternation', pattern: '(?<time>\\d+)(?<msg>(.|\\s)*)x$', timeFormat: 'epoch-s' },
  { name: 'lookahead', pattern: '^(?<time>\\S+)(?=\\s)(?<msg>.*)$' },
  { name: 'epoch', pattern: '^(?<time>\\d{10,19})\\s+(?<kind>[a-z-]+)?\\s*(?<latency>\\d+)?(?<msg>.*)$', timeFormat: 'epoch-ms' },
];

export function runLog(bytes: Uint8Array, param = 0): { events: number } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const custom = FUZZ_CUSTOM_FORMATS[param - 1];
  const r = parseLogLines(lines(text), 'fuzz-input.log', custom ? { customFormats: [custom] } : {});
  for (const e of r.events) {
    if (!Number.isFinite(e.timeUs)) throw new Error(`event with non-finite time from line ${e.source.line}`);
  }
  return { events: r.events.length };
}

/** `param`: the custom format for log (see FUZZ_CUSTOM_FORMATS), the chunk size for captureFile (saved with a finding so that the replay cuts the records the same way). */
export async function runTarget(target: TargetName, bytes: Uint8Array, param = 0): Promise<unknown> {
  switch (target) {
    case 'capture':
      return runCapture(bytes);
    case 'log':
      return runLog(bytes, param);
    case 'captureFile':
      return runCaptureFile(bytes, param || 4 * 1024 * 1024);
    case 'logFile':
      return runLogFile(bytes);
    case 'analyze':
      return runAnalyze(bytes);
  }
}
