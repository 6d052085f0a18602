import { strict as assert } from 'node:assert';
import { OpFollower, OpProducer, ParserOp, createOpRing } from '../../../src/core/analyze/opRing';

describe('parser call ring (reader thread -> second-stage thread)', () => {
  it('passes every call with its fields, in order, across wrap-arounds, and tells the follower when it is closed', () => {
    const ring = createOpRing();
    const producer = new OpProducer(ring);
    const follower = new OpFollower(ring);
    const total = 20_000;
    let read = 0;
    for (let i = 0; i < total; i++) {
      if (!producer.hasRoom()) {
        // One thread plays both sides: the follower makes the calls published so far.
        for (; read < producer.produced; read++) {
          assert.ok(follower.next(read));
          assert.deepEqual([follower.op, follower.buffer, follower.start, follower.end, follower.fileOffset], [ParserOp.Parse, read % 7, read, read + 4096, read * 4096 + 2 ** 33]);
        }
        follower.done(read);
      }
      producer.push(ParserOp.Parse, i % 7, i, i + 4096, i * 4096 + 2 ** 33);
    }
    producer.close();
    for (; read < total; read++) assert.ok(follower.next(read));
    assert.equal(follower.next(total), false);
  });

  it('refuses to overwrite calls the follower has not made (an internal error, never a wrong result)', () => {
    const producer = new OpProducer(createOpRing());
    assert.throws(() => {
      for (let i = 0; i < 100_000; i++) producer.push(ParserOp.Discard, 0, 1, 0, 0);
    }, /ring overrun/);
  });
});
