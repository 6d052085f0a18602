/**
 * Line readers written by hand for speed (klog and FRR headers, the level word of ISO-time lines) against the
 * regular expressions that define them: on real lines, on the same lines cut and spliced, and on strings built
 * from the characters that matter, both must accept the same lines and read the same fields.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createFrrFormat } from '../../../src/core/logs/formats/frr';
import { levelOf } from '../../../src/core/logs/formats/iso';
import { createKlogFormat } from '../../../src/core/logs/formats/kubernetes';
import { stampOf } from '../../../src/core/logs/timestamps';
import type { FormatContext, LogRecord } from '../../../src/core/logs/types';

const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([^\s\]]+):(\d+)\] ?(.*)$/;
const FRR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([A-Z][A-Z0-9]*): (?:\[([A-Z0-9]{5}-[A-Z0-9]{5})\])?(?:\[EC \d+\])? ?(.*)$/;
const LEVEL = /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?:?\s+(.*)$/i;

/** The header fields as the regular expressions read them. */
function klogReference(line: string): Partial<LogRecord> | undefined {
  const m = KLOG.exec(line);
  if (!m) return undefined;
  const stamp = stampOf(undefined, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]);
  return stamp && { stamp, timeText: line.slice(1, 21), message: m[11] };
}
function frrReference(line: string): Partial<LogRecord> | undefined {
  const m = FRR.exec(line);
  if (!m) return undefined;
  const stamp = stampOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]);
  return stamp && { stamp, timeText: line.slice(0, 19 + (m[7] ? m[7].length + 1 : 0)), message: m[10], protocol: m[8] } as Partial<LogRecord>;
}

const ctx: FormatContext = { file: 'x', line: 1, byteOffset: 0, warn: () => undefined, parseInner: () => undefined };
const klog = createKlogFormat();
const frr = createFrrFormat();
function klogRead(line: string): Partial<LogRecord> | undefined {
  const r = klog.parse(line, ctx) as LogRecord | undefined;
  return r && { stamp: r.stamp, timeText: r.timeText, message: r.message };
}
function frrRead(line: string): Partial<LogRecord> | undefined {
  const r = frr.parse(line, ctx) as LogRecord | undefined;
  return r && { stamp: r.stamp, timeText: r.timeText, message: r.message, protocol: r.process } as Partial<LogRecord>;
}
const PROCESS: Record<string, string> = { BGP: 'bgpd', ZEBRA: 'zebra', OSPF: 'ospfd', OSPF6: 'ospf6d', STATIC: 'staticd', BFD: 'bfdd', WATCHFRR: 'watchfrr', ISIS: 'isisd' };
function frrReferenceProcess(line: string): Partial<LogRecord> | undefined {
  const r = frrReference(line) as (Partial<LogRecord> & { protocol: string }) | undefined;
  return r && { ...r, protocol: PROCESS[r.protocol] ?? r.protocol.toLowerCase() } as Partial<LogRecord>;
}

const fixtures = join(__dirname, '..', '..', 'fixtures');
const seeds = [
  ...['documented/kubelet.klog.log', 'documented/kube-router.klog.log', 'real/frr-bgpd.log', 'documented/frr-bgpd-legacy.log', 'real/java-timeout.log', 'documented/log4j-app.log', 'documented/go-app.log']
    .map((f) => join(fixtures, 'logs', f)),
  ...readdirSync(join(fixtures, 'lab')).flatMap((d) => ['kubelet.log', 'core-bgpd.log', 'client-app.log'].map((f) => join(fixtures, 'lab', d, 'input', f))),
].flatMap((f) => {
  try {
    return readFileSync(f, 'utf8').split('\n');
  } catch {
    return [];
  }
}).filter((l) => l.length > 0);
// ISO-time lines without their time: what the level reader sees.
const levelSeeds = [
  ...seeds.flatMap((l) => [l.replace(/^\S+ /, ''), l.replace(/^\S+ \S+ /, '')]),
  'INFO  [main] c.e.Client - GET /x 200', '[WARN] disk almost full', 'error: connect failed', 'Warning:\tretrying', 'SEVERE: gone',
];

const piece = fc.constantFrom(' ', '\t', '\r', '\n', '\u2028', '\u00a0', ']', '[', ':', '.', '0', '7', 'A', 'z', 'EC ', '[EC 1]', '[ABCDE-12345]', 'INFO', 'warning', 'ERR', 'é');
function variants(base: string[]): fc.Arbitrary<string> {
  const spliced = fc.tuple(fc.constantFrom(...base), fc.nat(), fc.nat(), fc.array(piece, { maxLength: 3 }).map((a) => a.join('')))
    .map(([l, i, n, s]) => {
      const at = i % (l.length + 1);
      return l.slice(0, at) + s + l.slice(Math.min(l.length, at + (n % 4)));
    });
  return fc.oneof(fc.constantFrom(...base), spliced, fc.array(piece, { maxLength: 20 }).map((a) => a.join('')));
}

/** The reader and the definition agree on every seed (at least `minRead` of them read) and on their variants. */
function agree<T>(base: string[], read: (t: string) => T, reference: (t: string) => T, minRead: number, seed: number): void {
  let n = 0;
  for (const t of base) {
    const want = reference(t);
    assert.deepEqual(read(t), want, t);
    if (want) n++;
  }
  assert.ok(n >= minRead, `only ${n} seeds read`);
  fc.assert(fc.property(variants(base), (t) => assert.deepEqual(read(t), reference(t), JSON.stringify(t))), { numRuns: 20_000, seed });
}

describe('logs: hand-written line readers read what their patterns define', () => {
  it('klog headers', () => agree(seeds, klogRead, klogReference, 30, 11));

  it('FRR headers', () => agree(seeds, frrRead, frrReferenceProcess, 20, 12));

  it('the level word of ISO-time lines', () => {
    const reference = (t: string) => {
      const m = LEVEL.exec(t);
      return m ? { level: m[1].toUpperCase(), message: m[2] } : undefined;
    };
    agree(levelSeeds, levelOf, reference, 10, 13);
  });
});
