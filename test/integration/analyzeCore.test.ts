import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeProgress } from '../../src/core/model/analysis';
import { writePcap, type WriterFrame } from '../helpers/pcapWriter';
import { T0, background, loopSightings, type TestFrame } from '../unit/detect/traffic';

function toWriter(frames: TestFrame[]): WriterFrame[] {
  return [...frames].sort((a, b) => a.timeUs - b.timeUs).map((f) => ({ data: f.data, sec: Math.floor(f.timeUs / 1e6), nsec: (f.timeUs % 1e6) * 1000 }));
}

describe('analyze(): inputs, progress and cancellation', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'il-core-'));
    mkdirSync(join(dir, 'nested'));
    const loop = loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 1, payload: [1, 2, 3, 4] }, T0 + 50_000);
    writeFileSync(join(dir, 'nested', 'capture.bin'), writePcap(toWriter([...background(100, T0, 1000), ...loop])));
    writeFileSync(join(dir, 'random.dat'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'empty.pcap'), Buffer.alloc(0));
    writeFileSync(join(dir, '.hidden.pcap'), writePcap(toWriter(background(5, T0, 1000))));
    symlinkSync(dir, join(dir, 'nested', 'loop-back'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('walks folders, recognises captures by content, and lists what it could not use with a reason', async () => {
    const progress: AnalyzeProgress[] = [];
    const report = await analyze({ paths: [dir, join(dir, 'nope.pcap')] }, { onProgress: (p) => progress.push(p) });
    const byName = new Map(report.inputs.map((i) => [i.path.slice(dir.length + 1), i]));
    assert.deepEqual([...byName.keys()].sort(), ['empty.pcap', 'nested/capture.bin', 'nope.pcap', 'random.dat']);
    assert.equal(byName.get('nested/capture.bin')!.kind, 'capture', 'a capture named .bin is still a capture');
    assert.match(byName.get('random.dat')!.problems[0]!.message, /not used: neither a pcap\/pcapng capture/);
    assert.equal(byName.get('random.dat')!.problems[0]!.fatal, false, 'met while walking a folder: a warning');
    assert.match(byName.get('empty.pcap')!.problems[0]!.message, /empty file/);
    assert.equal(byName.get('nope.pcap')!.problems[0]!.fatal, true);
    assert.equal(report.loops.length, 1);
    // Progress: phases in order, bytes never going back, ending at the total.
    const phases = [...new Set(progress.map((p) => p.phase))];
    assert.deepEqual(phases, ['scanning', 'captures', 'correlating', 'done']);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.bytesDone >= progress[i - 1]!.bytesDone);
    const last = progress[progress.length - 1]!;
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.ok(last.bytesTotal > 5000);
  });

  it('a file or folder named by the user that cannot be used is a fatal problem, said with the reason', async () => {
    mkdirSync(join(dir, 'void'));
    const report = await analyze({ paths: [join(dir, 'random.dat'), join(dir, 'void'), '/dev/null'] });
    const messages = report.inputs.map((i) => [i.problems[0]!.fatal, i.problems[0]!.message]);
    assert.deepEqual(messages.map((m) => m[0]), [true, true, true]);
    assert.match(String(messages[0]![1]), /^empty folder/);
    assert.match(String(messages[1]![1]), /^not a regular file \(a character device\)/);
    assert.match(String(messages[2]![1]), /^not used: neither/);
  });

  it('stops with an AbortError when cancelled while reading a capture', async () => {
    const big = join(dir, 'big.pcap');
    writeFileSync(big, writePcap(toWriter(background(120_000, T0, 100))));
    try {
      const ac = new AbortController();
      let seenAt = -1;
      const run = analyze({ paths: [big] }, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'captures' && p.bytesDone > 0 && seenAt < 0) {
            seenAt = p.bytesDone;
            ac.abort();
          }
        },
      });
      await assert.rejects(run, (e: Error) => e.name === 'AbortError');
      assert.ok(seenAt > 0 && seenAt < 120_000 * 50, 'aborted part-way through the file');
    } finally {
      rmSync(big);
    }
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(analyze({ paths: [dir] }, { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
  });
});
