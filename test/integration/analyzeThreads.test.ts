/**
 * analyze() with its threads at work (a capture large enough for a second-stage thread, logs large enough to be
 * read in threads while the capture is analysed) gives the Report of one thread, and its progress still reads
 * as one run: phases in order, bytes never going back, ending at the total.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { generateLogs } from '../../bench/generateLogs';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeProgress, Report } from '../../src/core/model';

function comparable(r: Report): Omit<Report, 'generatedAt'> {
  const { generatedAt: _at, ...rest } = r;
  return rest;
}

describe('analyze() on several threads', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'il-threads-'));
    generateCapture(join(dir, 'capture.pcap'), 'pcap', 48e6, 5);
    mkdirSync(join(dir, 'logs'));
    generateLogs(join(dir, 'logs'), 24 << 20, 5);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the one-thread Report, with progress in phase order and bytes never going back', async () => {
    const progress: AnalyzeProgress[] = [];
    const threaded = await analyze({ paths: [dir] }, { onProgress: (p) => progress.push(p) });
    const single = await analyze({ paths: [dir], singleThread: true });
    assert.deepStrictEqual(comparable(threaded), comparable(single));
    assert.ok(threaded.loops.length > 0 && threaded.events.length > 0, 'loops and events to compare');
    assert.ok(threaded.inputs.filter((i) => i.kind === 'log').length >= 4);
    const order = ['scanning', 'captures', 'logs', 'correlating', 'done'];
    for (let i = 1; i < progress.length; i++) {
      assert.ok(order.indexOf(progress[i]!.phase) >= order.indexOf(progress[i - 1]!.phase), `${progress[i - 1]!.phase} then ${progress[i]!.phase}`);
      assert.ok(progress[i]!.bytesDone >= progress[i - 1]!.bytesDone, 'bytes never go back');
    }
    const last = progress.at(-1)!;
    assert.equal(last.bytesDone, last.bytesTotal);
  });
});
