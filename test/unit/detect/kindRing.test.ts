import { strict as assert } from 'node:assert';
import { KindFollower, KindProducer, createKindRing } from '../../../src/core/analyze/kindRing';

/** A kind pattern with runs and isolated marks, so a shifted or stale byte shows. */
const kindAt = (i: number): number => (i % 7 === 3 ? 2 : 0) + ((i >> 10) % 3 === 1 ? 1 : 0);

describe('kind ring (detector thread -> second-stage thread)', () => {
  it('passes every frame\'s kind in order across many wrap-arounds, the producer kept to its room', () => {
    const perChunk = 10_000;
    const ring = createKindRing(perChunk);
    const producer = new KindProducer(ring, perChunk);
    const follower = new KindFollower(ring);
    const total = 1_000_000;
    assert.ok(ring.kinds.byteLength * 10 < total, 'the ring must wrap');
    let read = 0;
    for (let pushed = 0; pushed < total;) {
      // The reader's rule: a chunk is read only when two fit.
      if (producer.hasRoom()) {
        const n = Math.min(perChunk, total - pushed);
        for (let k = 0; k < n; k++) producer.push(kindAt(pushed++));
      } else {
        // One thread plays both sides here: the follower reads what has been published (never waits).
        const published = follower.produced;
        assert.ok(published > read, 'no room, yet nothing to read');
        for (; read < published; read++) assert.equal(follower.kindOf(read), kindAt(read), `frame ${read}`);
      }
    }
    producer.close();
    for (; read < total; read++) assert.equal(follower.kindOf(read), kindAt(read), `frame ${read}`);
    assert.equal(follower.kindOf(total), -1, 'past the last frame: the producer closed');
    assert.equal(follower.produced, total);
  });

  it('refuses to overwrite kinds the follower has not read (an internal error, never a wrong result)', () => {
    const ring = createKindRing(100);
    const producer = new KindProducer(ring, 100);
    assert.throws(() => {
      for (let i = 0; i < ring.kinds.byteLength * 2; i++) producer.push(0);
    }, /ring overrun/);
  });
});
