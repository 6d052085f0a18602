/**
 * The `packets` command as a user runs it: the built CLI bundle (`node dist/cli.js packets ...`) on real and
 * damaged captures, checking stdout rows, the stderr message with its byte offset, and the exit status.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PACKET_COLUMNS } from '../../src/core/decode/packetColumns';
import { CORPUS_DIR, REPO_ROOT, corpusAvailable, corpusEntries, parseTsv } from '../helpers/corpus';
import type { CorpusEntry } from '../helpers/corpus';
import { writePcap } from '../helpers/pcapWriter';
import { bytes, eth, ipv4, udp } from '../unit/decode/frames';

const cli = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'packets', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Offsets of the record headers of a classic pcap file, walked independently of the reader under test. */
function pcapRecordOffsets(file: Buffer): number[] {
  const le = file.readUInt32LE(0) === 0xa1b2c3d4 || file.readUInt32LE(0) === 0xa1b23c4d;
  const offsets: number[] = [];
  for (let at = 24; at + 16 <= file.length; at += 16 + (le ? file.readUInt32LE(at + 8) : file.readUInt32BE(at + 8))) offsets.push(at);
  return offsets;
}

/**
 * Where the corpus's own structure walk (MANIFEST `structure_problem`) places the damage: "... at offset N",
 * "record K: ..." (a pcap record, located by walking the file) or the file header (0).
 */
function expectedDamageOffset(entry: CorpusEntry): number {
  const at = /offset (\d+)/.exec(entry.structureProblem);
  if (at) return Number(at[1]);
  const rec = /^record (\d+)/.exec(entry.structureProblem);
  if (rec) return pcapRecordOffsets(readFileSync(entry.path))[Number(rec[1]) - 1]!;
  assert.match(entry.structureProblem, /^file header/);
  return 0;
}

/** A small Ethernet/IPv4/UDP capture with distinct TTLs, written with the test pcap writer. */
function sampleFrames(n: number): Buffer {
  const frames = Array.from({ length: n }, (_, i) => ({
    data: bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 12, ttl: 64 - i, id: 100 + i }), udp(5000 + i, 53, 4), [1, 2, 3, 4]),
    sec: 1_700_000_000 + i,
    nsec: 250_000_000,
  }));
  return writePcap(frames);
}

describe('incident-lens packets (built CLI)', function () {
  this.timeout(120_000);
  let dir = '';

  before(() => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--only=cli'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    dir = mkdtempSync(path.join(tmpdir(), 'packets-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the header and one row per packet, with the decoded fields, and exits 0', () => {
    const file = path.join(dir, 'ok.pcap');
    writeFileSync(file, sampleFrames(3));
    const r = run(file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const { columns, rows } = parseTsv(r.stdout);
    assert.deepEqual(columns, [...PACKET_COLUMNS]);
    assert.deepEqual(rows.map((x) => [x['frame.number'], x['frame.time_epoch'], x['ip.ttl'], x['ip.id'], x['udp.srcport'], x['frame.protocols']]), [
      ['1', '1700000000.250000000', '64', '100', '5000', 'eth:ethertype:ip:udp'],
      ['2', '1700000001.250000000', '63', '101', '5001', 'eth:ethertype:ip:udp'],
      ['3', '1700000002.250000000', '62', '102', '5002', 'eth:ethertype:ip:udp'],
    ]);
  });

  it('on a file cut inside a record: good rows on stdout, "<file>: byte <offset>: <reason>" on stderr, exit 2', () => {
    const whole = sampleFrames(4);
    const cutAt = pcapRecordOffsets(whole)[3]! + 16 + 10; // 10 bytes into the 4th record's data
    const file = path.join(dir, 'cut.pcap');
    writeFileSync(file, whole.subarray(0, cutAt));
    const r = run(file);
    assert.equal(r.status, 2);
    assert.equal(parseTsv(r.stdout).rows.length, 3);
    assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: byte ${pcapRecordOffsets(whole)[3]}: .*cut short`, 'm'));
  });

  it('--json prints the same records as JSON lines, absent fields left out', () => {
    const file = path.join(dir, 'json.pcap');
    writeFileSync(file, sampleFrames(2));
    const r = run('--json', file);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!['ip.ttl'], 63);
    assert.equal(lines[1]!['ip.src'], '10.0.0.1');
    assert.equal(lines[1]!['frame.time_epoch'], '1700000001.250000000');
    assert.ok(!('tcp.srcport' in lines[1]!));
  });

  it('reads several files; a missing one is reported by name with exit 2 and the others still print', () => {
    const file = path.join(dir, 'several.pcap');
    writeFileSync(file, sampleFrames(2));
    const missing = path.join(dir, 'nope.pcap');
    const r = run(file, missing, file);
    assert.equal(r.status, 2);
    assert.equal(parseTsv(r.stdout).rows.length, 4);
    assert.match(r.stderr, new RegExp(`nope\\.pcap: cannot read capture file`));
  });

  it('stops quietly with status 0 when the reader of its output goes away (| head)', () => {
    const file = path.join(dir, 'many.pcap');
    writeFileSync(file, sampleFrames(5000));
    const r = spawnSync('bash', ['-c', 'node "$0" packets "$1" | head -n 2; echo "status=${PIPESTATUS[0]}"', cli, file], { encoding: 'utf8' });
    assert.equal(r.stdout.split('\n').length, 4, r.stdout);
    assert.match(r.stdout, /status=0\n$/);
    assert.equal(r.stderr, '');
  });

  it('rejects --tsv with --json and a missing file argument as usage errors (exit 1)', () => {
    assert.equal(run('--tsv', '--json', 'x.pcap').status, 1);
    assert.equal(run().status, 1);
  });

  describe('on the corpus', () => {
    before(function () {
      if (!corpusAvailable()) {
        console.log(`      corpus not found at ${CORPUS_DIR}: skipped`);
        this.skip();
      }
    });

    it('zeek/tunnels/vxlan.pcap: every cell as tshark prints it, the protocol chain up to what we decode', () => {
      const file = path.join(CORPUS_DIR, 'zeek/tunnels/vxlan.pcap');
      const r = run(file);
      assert.equal(r.status, 0, r.stderr);
      const ours = parseTsv(r.stdout).rows;
      const theirs = parseTsv(readFileSync(`${file}.expected.tsv`, 'utf8')).rows;
      assert.equal(ours.length, theirs.length);
      ours.forEach((row, i) => {
        for (const col of PACKET_COLUMNS) {
          if (col === 'frame.protocols') assert.ok(theirs[i]![col]!.startsWith(row[col]!), `${col} row ${i + 1}`);
          else assert.equal(row[col], theirs[i]![col], `${col} row ${i + 1}`);
        }
      });
    });

    it('derived/pcap-cut-mid-record-data.pcap: 4 good rows, then the cut record named with its byte offset, exit 2', () => {
      const file = path.join(CORPUS_DIR, 'derived/pcap-cut-mid-record-data.pcap');
      const r = run(file);
      assert.equal(r.status, 2);
      const rows = parseTsv(r.stdout).rows;
      assert.deepEqual(rows.map((x) => x['frame.number']), ['1', '2', '3', '4']);
      const offset = pcapRecordOffsets(readFileSync(file))[4];
      assert.equal(offset, 568);
      const [line, ...more] = r.stderr.trim().split('\n');
      assert.deepEqual(more, []);
      assert.ok(line!.startsWith(`${file}: byte ${offset}: `), line);
      assert.match(line!, /record 5.*(cut|short|truncat).*74.*148/);
    });

    it('every derived (damaged) file: the good records as rows, one stderr line at the damaged offset, exit 2', () => {
      const derived = corpusEntries().filter((e) => e.derived);
      assert.equal(derived.length, 12);
      for (const e of derived) {
        const r = run(e.path);
        assert.equal(r.status, 2, e.file);
        // MANIFEST `packets` counts the records before the damage, found by the corpus's independent walk.
        assert.equal(parseTsv(r.stdout).rows.length, e.packets, e.file);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, `${e.file}: ${r.stderr}`);
        assert.ok(lines[0]!.startsWith(`${e.path}: byte ${expectedDamageOffset(e)}: `), `${e.file}: ${lines[0]} (walk: ${e.structureProblem})`);
      }
    });

    it('derived/pcapng-trailing-length-mismatch.pcapng: rows before the bad block, its offset on stderr, exit 2', () => {
      const file = path.join(CORPUS_DIR, 'derived/pcapng-trailing-length-mismatch.pcapng');
      const r = run(file);
      assert.equal(r.status, 2);
      assert.equal(parseTsv(r.stdout).rows.length, 2);
      // The corpus's independent structure walk places the damage at the same block (MANIFEST structure_problem).
      const line = r.stderr.trim();
      assert.ok(line.startsWith(`${file}: byte 724: `), line);
      assert.match(line, /trailing.*112.*104/);
    });
  });
});
