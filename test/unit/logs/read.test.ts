/** The reader around the formats: streaming, damage, limits, options. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_LINE_BYTES, parseLogLines, readLogFile, sniffLogFile } from '../../../src/core/logs/read';

const realDir = join(__dirname, '..', '..', 'fixtures', 'logs', 'real');
const FRR_DOWN = '2026/11/24 10:00:01.000001 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 10.0.12.2(access1) in vrf default Down Peer closed the session';

describe('logs/read', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'il-logs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same events streamed from a file (many chunks) as from lines in memory', async () => {
    // ~2 MB: many 256 KiB read chunks, so lines cross chunk boundaries.
    const real = readFileSync(join(realDir, 'frr-bgpd.log'), 'utf8').trimEnd().split('\n');
    const lines: string[] = [];
    for (let i = 0; lines.length < 20_000; i++) lines.push(...real);
    const path = join(dir, 'big.log');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const fromFile = await readLogFile(path);
    const fromLines = parseLogLines(lines, path);
    assert.equal(fromFile.events.length, fromLines.events.length);
    assert.deepEqual(fromFile.events, fromLines.events);
    assert.equal(fromFile.summary.lines, lines.length);
    assert.equal(fromFile.summary.ignoredLines, fromLines.summary.ignoredLines);
  });

  it('refuses a binary file with the byte offset of the first NUL, and no events', async () => {
    const path = join(dir, 'capture.bin');
    const bytes = Buffer.alloc(4096, 0x41);
    bytes[1234] = 0;
    writeFileSync(path, bytes);
    const r = await readLogFile(path);
    assert.equal(r.events.length, 0);
    assert.equal(r.summary.problems.length, 1);
    assert.equal(r.summary.problems[0].fatal, true);
    assert.match(r.summary.problems[0].message, /NUL byte at byte offset 1234/);
  });

  it('sniffs text as text and pcap/random bytes as binary', () => {
    assert.equal(sniffLogFile(Buffer.from('Nov 24 10:00:01 host x: héllo wörld ✓\n')), true);
    assert.equal(sniffLogFile(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])), false);
    const noise = Buffer.alloc(1000);
    for (let i = 0; i < noise.length; i++) noise[i] = 0x80 + ((i * 37) % 120);
    assert.equal(sniffLogFile(noise), false);
  });

  it('skips an over-long line with its line number and keeps the events around it', async () => {
    const path = join(dir, 'long.log');
    writeFileSync(path, `${FRR_DOWN}\n${'x'.repeat(MAX_LINE_BYTES + 10)}\n${FRR_DOWN.replace('10:00:01', '10:00:02')}\n`);
    const r = await readLogFile(path);
    assert.equal(r.events.length, 2);
    assert.equal(r.events[1].source.line, 3);
    assert.equal(r.events[1].source.byteOffset, FRR_DOWN.length + 1 + MAX_LINE_BYTES + 10 + 1);
    assert.equal(r.summary.lines, 3);
    assert.deepEqual(r.summary.problems.map((p) => [p.line, p.fatal]), [[2, false]]);
    assert.match(r.summary.problems[0].message, /line 2: longer than 1048576 bytes/);
  });

  it('reads lines made to make regular expressions backtrack, and ends (no line costs more than its head)', () => {
    const evil = ['%ADJCHANGE: neighbor ', '%BGP-5-ADJCHANGE: neighbor ', 'BGP peer ', 'Peer Down Key='].map(
      (p) => `2026-11-24T10:00:01Z ERROR ${p}${'(a 1.1:'.repeat(140_000)}`,
    );
    const r = parseLogLines([...evil, FRR_DOWN], 'evil.log');
    assert.equal(r.summary.lines, 5);
    assert.equal(r.events.at(-1)?.source.line, 5);
  });

  it('skips lines with NUL bytes in a text file, counting them', async () => {
    const path = join(dir, 'nul.log');
    writeFileSync(path, Buffer.concat([Buffer.from(`${'ordinary text line\n'.repeat(4000)}`), Buffer.from('bad\0line\n'), Buffer.from(`${FRR_DOWN}\n`)]));
    const r = await readLogFile(path);
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].source.line, 4002);
    assert.deepEqual(r.summary.problems.map((p) => p.line), [4001]);
  });

  it('reads gzip-compressed (rotated) logs', async () => {
    const path = join(dir, 'bgpd.log.1.gz');
    writeFileSync(path, gzipSync(readFileSync(join(realDir, 'frr-bgpd.log'))));
    const r = await readLogFile(path);
    assert.equal(r.events.filter((e) => e.kind === 'bgp-peer-down').length, 3);
  });

  it('handles CRLF line ends and an empty file', async () => {
    const r = parseLogLines([`${FRR_DOWN}\r`], 'crlf.log');
    assert.equal(r.events[0].message.endsWith('session'), true);
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const e = await readLogFile(path);
    assert.deepEqual([e.events.length, e.summary.lines, e.summary.format, e.summary.problems.length], [0, 0, 'unknown', 0]);
  });

  it('counts unknown lines without stopping, and applies the clock offset to every event', () => {
    const r = parseLogLines(['garbage ☃', FRR_DOWN, '{"not": "a log"}', ''], 'x.log', { clockOffsetMs: -1500 });
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].time, '2026-11-24T09:59:59.500001Z');
    assert.match(r.events[0].timeNote ?? '', /clock offset -1500 ms applied/);
    assert.equal(r.summary.clockOffsetMs, -1500);
    assert.equal(r.summary.ignoredLines, 3);
  });

  it('reports an unknown zone setting and falls back to UTC', () => {
    const r = parseLogLines([FRR_DOWN], 'x.log', { timeZone: 'Nowhere/Special' });
    assert.equal(r.events[0].time, '2026-11-24T10:00:01.000001Z');
    assert.match(r.summary.problems[0].message, /unknown time zone 'Nowhere\/Special'/);
    assert.equal(r.summary.timeZone, 'UTC');
  });

  it('reads zone-less lines in the configured zone and says so', () => {
    const r = parseLogLines([FRR_DOWN], 'x.log', { timeZone: 'Asia/Hong_Kong' });
    assert.equal(r.events[0].time, '2026-11-24T02:00:01.000001Z');
    assert.equal(r.events[0].timeText, '2026/11/24 10:00:01.000001');
    assert.equal(r.summary.timeZone, 'Asia/Hong_Kong');
  });

  it('stops on an aborted signal with an AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(readLogFile(join(realDir, 'frr-bgpd.log'), { signal: ac.signal }), { name: 'AbortError' });
  });

  it('reports a partial CRI line never completed, and keeps it', () => {
    const r = parseLogLines(['2026-11-24T10:00:01Z stdout P GET /x: context deadline exceeded'], 'cri.log');
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].kind, 'request-timeout');
    assert.match(r.summary.problems[0].message, /never completed/);
  });

  it('takes no severity from words that are Object properties (constructor, __proto__)', () => {
    const r = parseLogLines(['[2026-11-24 10:00:01] constructor Peer Down Key=10.0.0.1', '[2026-11-24 10:00:02] __proto__ Peer Up'], 'x', {
      customFormats: [{ name: 'p', pattern: String.raw`^\[(?<time>[^\]]+)\] (?<level>\S+) (?<msg>.*)$` }],
    });
    assert.deepEqual(r.events.map((e) => [e.kind, e.severity]), [['bgp-peer-down', 'info'], ['bgp-peer-up', 'info']]);
  });

  it('a custom format keeps its lines after a line only a built-in format reads (the user\'s formats come first on every line)', () => {
    // ISO-stamped lines: the built-in ISO format reads them too. The second line does not fit the user's pattern.
    const lines = [
      '2026-11-24T10:00:01Z node-7 payments upstream=10.244.3.5 took=3500 slow call',
      '2026-11-24T10:00:02Z ERROR something else entirely: connection refused',
      '2026-11-24T10:00:03Z node-7 payments upstream=10.244.3.6 took=4200 slow call',
    ];
    const r = parseLogLines(lines, 'x', {
      customFormats: [{ name: 'payments', pattern: String.raw`^(?<time>\S+) (?<host>node-\d+) payments upstream=(?<peer>\S+) took=(?<latency>\d+) (?<msg>.*)$` }],
    });
    assert.deepEqual(r.events.map((e) => [e.source.line, e.source.format, e.peer ?? null]), [
      [1, 'payments', '10.244.3.5'],
      [2, 'iso', null],
      [3, 'payments', '10.244.3.6'],
    ]);
  });

  it('reports a custom format without a time group, naming it, and reads the file without it', () => {
    const r = parseLogLines([FRR_DOWN], 'x', { customFormats: [{ name: 'mine', pattern: '^(?<msg>.*)$' }] });
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].source.format, 'frr');
    assert.match(r.summary.problems[0].message, /custom log format 'mine'.*\(\?<time>.*read without custom formats/);
  });
});
