import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { writePcap, writePcapng, type WriterFrame } from '../helpers/pcapWriter';
import { ACCESS, CORE, T0, background, ipv4Frame, loopSightings, type TestFrame } from '../unit/detect/traffic';
import type { Report } from '../../src/core/model/report';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const schema = JSON.parse(readFileSync(join(root, 'docs', 'report.schema.json'), 'utf8'));

function toWriter(frames: TestFrame[]): WriterFrame[] {
  return [...frames].sort((a, b) => a.timeUs - b.timeUs).map((f) => ({ data: f.data, sec: Math.floor(f.timeUs / 1e6), nsec: (f.timeUs % 1e6) * 1000 }));
}

/** A client's TCP connection whose request is caught in the loop at T0+1 s and resent 1 s later (after the loop). */
function hurtFlow(): TestFrame[] {
  const p = { src: [10, 0, 0, 9], dst: [10, 244, 1, 77], srcPort: 43210, dstPort: 80 };
  const syn = { ...p, id: 1, seq: 100, ack: 0, tcpFlags: 0x02, payload: [] };
  const synAck = { src: p.dst, dst: p.src, srcPort: 80, dstPort: 43210, id: 2, seq: 500, ack: 101, tcpFlags: 0x12, payload: [] };
  const ack = { ...p, id: 3, seq: 101, ack: 501, tcpFlags: 0x10, payload: [] };
  const req = { ...p, id: 4, seq: 101, ack: 501, tcpFlags: 0x18, payload: [71, 69, 84, 32] };
  const resend = { ...req, id: 5 };
  const reply = { src: p.dst, dst: p.src, srcPort: 80, dstPort: 43210, id: 6, seq: 501, ack: 105, tcpFlags: 0x18, payload: [1, 2] };
  const done = { ...p, id: 7, seq: 105, ack: 503, tcpFlags: 0x10, payload: [] };
  return [
    { timeUs: T0 + 900_000, data: ipv4Frame(syn, 64, CORE, ACCESS) },
    { timeUs: T0 + 900_300, data: ipv4Frame(synAck, 62, ACCESS, CORE) },
    { timeUs: T0 + 900_600, data: ipv4Frame(ack, 64, CORE, ACCESS) },
    ...loopSightings(req, T0 + 1_000_500, { firstTtl: 63 }),
    { timeUs: T0 + 2_100_000, data: ipv4Frame(resend, 63, CORE, ACCESS) },
    { timeUs: T0 + 2_100_400, data: ipv4Frame(reply, 62, ACCESS, CORE) },
    { timeUs: T0 + 2_100_700, data: ipv4Frame(done, 64, CORE, ACCESS) },
  ];
}

function loopCapture(): TestFrame[] {
  const looped = Array.from({ length: 30 }, (_, i) =>
    loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10 + i], id: 0x2000 + i, srcPort: 41000 + i, payload: [i, 9, 9, 9] }, T0 + 1_000_000 + i * 2000),
  ).flat();
  return [...background(400, T0, 10_000), ...looped, ...hurtFlow()];
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, [cli, 'analyze', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

describe('incident-lens analyze (CLI bundle)', () => {
  let dir = '';
  before(function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=cli'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    dir = mkdtempSync(join(tmpdir(), 'il-analyze-'));
    writeFileSync(join(dir, 'loop.pcapng'), writePcapng(toWriter(loopCapture())));
    writeFileSync(join(dir, 'normal.cap'), writePcap(toWriter(background(2000, T0, 1000))));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Report that validates against docs/report.schema.json, with the loop, its step and its impact', () => {
    const r = runCli(['--json', join(dir, 'loop.pcapng'), join(dir, 'normal.cap')]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(schema, report);
    assert.ok(valid, ajv.errorsText(ajv.errors));
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.inputs.map((i) => [i.kind, i.format]), [['capture', 'pcapng'], ['capture', 'pcap']]);
    assert.equal(report.loops.length, 1);
    const ep = report.loops[0]!;
    assert.equal(ep.id, 'loop-1');
    assert.equal(ep.ttlStep, 2);
    assert.equal(ep.loopedPackets, 31);
    assert.equal(ep.start, '2026-11-24T10:00:01Z');
    assert.deepEqual(ep.destinationPrefixes, ['10.244.1.0/24']);
    // The looped request was lost; the resend after the loop is a retransmission, and the wait a stall.
    assert.equal(ep.impact.flowsHurt, 31, "the 30 flows whose packet died in the loop and the one that resent");
    assert.equal(ep.impact.clientsHurt, 1);
    assert.equal(report.impact.retransmissions, 1, 'the 62 looped copies are not retransmissions');
    assert.equal(report.impact.flows[0]!.flow, '10.0.0.9:43210 -> 10.244.1.77:80');
    assert.deepEqual(report.impact.flows[0]!.loops, ['loop-1']);
    // from the request (T0 + 1.0005 s) until the reply acknowledges it (T0 + 2.1004 s)
    const stall = report.impact.stalls.find((s) => s.flow === '10.0.0.9:43210 -> 10.244.1.77:80')!;
    assert.deepEqual([stall.durationMs, stall.unanswered, stall.loops], [1099.9, false, ['loop-1']]);
    // The other 30 looped packets were never answered (their flows stop there): stalls of unknown length.
    assert.equal(report.impact.stalls.filter((s) => s.unanswered).length, 30);
  });

  it('prints one paragraph per episode for a person, with times in the zone asked for', () => {
    const r = runCli(['--tz', 'Europe/Berlin', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 routing loop episode found/);
    assert.match(r.stdout, /loop-1 {2}2026-11-24 11:00:01\.000 GMT\+1/);
    assert.match(r.stdout, /TTL step 2/);
    assert.match(r.stdout, /between 02:00:00:00:00:01 and 02:00:00:00:00:02/);
    assert.match(r.stdout, /31 distinct packets caught/);
    assert.equal(r.stderr, '', 'no progress output when stderr is not a terminal');
  });

  it('exits 2 when an input is damaged or missing, still reporting everything readable', () => {
    const good = readFileSync(join(dir, 'loop.pcapng'));
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, good.subarray(0, good.length - 37));
    const out = join(dir, 'report.json');
    const r = runCli(['--out', out, cut, join(dir, 'missing.pcap')]);
    assert.equal(r.status, 2, r.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    assert.equal(report.loops.length, 1, 'the loop before the damage is kept');
    const cutInput = report.inputs.find((i) => i.path === cut)!;
    assert.ok(cutInput.problems.some((p) => p.fatal && typeof p.byteOffset === 'number'), JSON.stringify(cutInput.problems));
    const missing = report.inputs.find((i) => i.path.endsWith('missing.pcap'))!;
    assert.match(missing.problems[0]!.message, /ENOENT/);
    assert.match(r.stdout, /Problems in the inputs:/);
    rmSync(cut);
    rmSync(out);
  });

  it("runs the README's first command on the bundled incident sample: both loops, and a Report that validates", function () {
    const sample = join(root, 'media', 'samples', 'incident');
    if (!existsSync(sample)) this.skip();
    const r = runCli(['--json', sample]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const ajv = new Ajv({ allErrors: true, strict: false });
    assert.ok(ajv.validate(schema, report), ajv.errorsText(ajv.errors));
    assert.deepEqual(report.loops.map((l) => [l.id, l.ttlStep]), [['loop-1', 2], ['loop-2', 2]]);
    assert.ok(report.inputs.some((i) => i.kind === 'log' && i.events > 0), 'the sample logs were read');
  });

  it('shows progress on stderr when it is a terminal, and clears the line before the summary', async () => {
    const { analyzeCommand } = await import('../../src/cli/commands/analyze');
    const { PassThrough } = await import('node:stream');
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: string[] = [];
    stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
    const out: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(c.toString()));
    const status = await analyzeCommand.run([join(dir, 'loop.pcapng')], { stdout, stderr });
    assert.equal(status, 0);
    const err = chunks.join('');
    // Updates are throttled to one per 100 ms (a small file shows just the first and the last).
    assert.match(err, /^\r\x1b\[2Kscanning 0%/);
    assert.match(err, /\r\x1b\[2Kdone 100%/);
    assert.ok(err.endsWith('\r\x1b[2K'), 'the progress line is erased');
    assert.match(out.join(''), /Read 1 capture \(\d[\d,]* packets\) and 0 log files/);
  });

  it('stops quietly with the analysis\'s status when the reader of its output goes away (| head)', () => {
    const sample = join(root, 'media', 'samples', 'incident');
    const r = spawnSync('bash', ['-c', 'node "$0" analyze --json "$1" | head -c 20; echo; echo "status=${PIPESTATUS[0]}"', cli, sample], { encoding: 'utf8' });
    assert.match(r.stdout, /^\{"schemaVersion":/);
    assert.match(r.stdout, /status=0\n$/);
    assert.equal(r.stderr, '');
  });

  it('rejects bad options with status 1', () => {
    assert.equal(runCli(['--stall-ms', 'soon', dir]).status, 1);
    assert.equal(runCli(['--tz', 'Mars/Olympus', dir]).status, 1);
    assert.equal(runCli([]).status, 1);
  });
});

describe('incident-lens analyze: log options shared with `events`', () => {
  const sample = join(root, 'media', 'samples', 'incident');
  const run = (extra: string[]) => spawnSync(process.execPath, [cli, 'analyze', '--json', ...extra, sample], { encoding: 'utf8', maxBuffer: 256 << 20 });
  it('--clock-offset <file>=<ms> moves that file\'s events and only those', () => {
    const base = JSON.parse(run([]).stdout) as Report;
    const kubelet = join(sample, 'kubelet.log');
    const shifted = JSON.parse(run(['--clock-offset', `${kubelet}=1500`]).stdout) as Report;
    const times = (r: Report, f: string) => r.events.filter((e) => e.source.file === f).map((e) => e.timeUs).sort((a, b) => a - b);
    const before = times(base, kubelet);
    assert.ok(before.length > 0, 'the sample kubelet log has events');
    assert.deepEqual(times(shifted, kubelet), before.map((t) => t + 1_500_000));
    const other = join(sample, 'access-bgpd.log');
    assert.deepEqual(times(shifted, other), times(base, other));
  });
  it('refuses a bad --format-regex with the same message as `events` (exit 1)', () => {
    const r = run(['--format-regex', '(?<msg>.*)']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--format-regex needs a named group \(\?<time>\.\.\.\)/);
  });
});
