import { strict as assert } from 'node:assert';
import { focusInterval, INSTANT_CONTEXT_US } from '../../../src/host/timelineFocus';
import { progressPercent, progressText } from '../../../src/host/progressModel';
import { formatDuration, oneLine } from '../../../src/host/format';
import { CAPTURE, sampleReport } from './sampleReport';

describe('host: timeline focus and progress text', () => {
  const r = sampleReport();
  const loop = r.loops[0]!;

  it('selects a loop episode exactly and shows it in the ladder', () => {
    assert.deepEqual(focusInterval(r, { kind: 'loop', loopId: 'loop-1' }), { startUs: loop.startUs, endUs: loop.endUs, episodeId: 'loop-1' });
  });

  it('selects a whole chain with some margin, and its loop', () => {
    const f = focusInterval(r, { kind: 'chain', chainId: 'chain-1' })!;
    const steps = r.chains[0]!.steps;
    assert.ok(f.startUs < steps[0]!.timeUs && f.endUs > steps.at(-1)!.timeUs);
    assert.equal(f.episodeId, 'loop-1');
  });

  it('centres an event and finds the loop a frame belongs to', () => {
    const ev = r.events[1]!;
    assert.deepEqual(focusInterval(r, { kind: 'event', eventId: ev.id }), { startUs: ev.timeUs - INSTANT_CONTEXT_US, endUs: ev.timeUs + INSTANT_CONTEXT_US });
    assert.equal(focusInterval(r, { kind: 'frame', capture: CAPTURE, frame: 2000 })?.episodeId, 'loop-1');
    assert.equal(focusInterval(r, { kind: 'frame', capture: CAPTURE, frame: 5 }), undefined);
    assert.equal(focusInterval(r, { kind: 'loop', loopId: 'loop-9' }), undefined);
  });

  it('turns core progress into a percentage and a line of text', () => {
    const p = { phase: 'captures' as const, file: '/c/loop.pcapng', bytesDone: 50, bytesTotal: 200 };
    assert.equal(progressPercent(p), 25);
    assert.equal(progressText(p), 'reading captures: loop.pcapng (25%)');
    assert.equal(progressPercent({ phase: 'scanning', bytesDone: 0, bytesTotal: 0 }), 0);
    assert.equal(progressPercent({ phase: 'correlating', bytesDone: 200, bytesTotal: 200 }), 99, '100% only when done');
    assert.equal(progressPercent({ phase: 'done', bytesDone: 0, bytesTotal: 0 }), 100);
  });

  it('formats durations and cuts long lines on character boundaries', () => {
    assert.deepEqual([0, 0.25, 420, 2000, 12_500, 125_000, -1500].map(formatDuration), ['0 ms', '0.25 ms', '420 ms', '2.00 s', '12.5 s', '2 min 5 s', '-1.50 s']);
    assert.equal(oneLine('a\n  b\tc'), 'a b c');
    assert.equal(oneLine('😀'.repeat(10), 5), '😀😀😀😀…');
  });
});
