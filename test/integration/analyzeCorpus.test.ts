import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import { CORPUS_DIR, corpusEntries, skipWithoutCorpus } from '../helpers/corpus';

describe('analyze: no false alarms on the conformance corpus', () => {
  before(function () {
    skipWithoutCorpus(this);
  });

  it('reads every corpus capture and reports zero loops (none of them holds a routing loop)', async () => {
    const report = await analyze({ paths: [CORPUS_DIR] });
    const captures = report.inputs.filter((i) => i.kind === 'capture');
    assert.equal(captures.length, corpusEntries().length, 'every capture was recognised by content');
    const packets = captures.reduce((n, c) => n + (c.kind === 'capture' ? c.packets : 0), 0);
    // Damaged files stop early, so a few records the independent structure walk counts may not be delivered.
    const manifestPackets = corpusEntries().reduce((n, e) => n + e.packets, 0);
    assert.ok(packets >= manifestPackets * 0.95, `the corpus was really read (${packets} of ${manifestPackets} packets)`);
    const found = report.loops.map((l) => `${l.capture}: ${l.start} ttlStep ${l.ttlStep}, ${l.loopedPackets} packets, frames ${l.firstFrame}-${l.lastFrame}`);
    assert.deepEqual(found, []);
  });
});
