import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TcpFlowTable } from '../../../src/core/detect/tcpFlow';

const SYN = 0x02;
const ACK = 0x10;

describe('TcpFlowTable', () => {
  it('finds, adds and removes like a Map, in creation order, through growth and probe runs that collide', () => {
    // Keys drawn from a small set of first lanes, so that probe runs form and deletions must move slots back.
    const key = fc.tuple(fc.integer({ min: 0, max: 40 }).map((k) => (k * 0x10000) | 0), fc.integer({ min: -3, max: 3 }));
    const op = fc.oneof(
      fc.record({ add: key }),
      fc.record({ remove: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const table = new TcpFlowTable(16);
      const model = new Map<string, number>();
      const order: string[] = [];
      for (const o of ops) {
        if ('add' in o) {
          const [h1, h2] = o.add;
          const name = `${h1}:${h2}`;
          if (model.has(name)) {
            assert.equal(table.find(h1, h2), model.get(name));
            continue;
          }
          assert.equal(table.find(h1, h2), -1);
          model.set(name, table.add(h1, h2));
          order.push(name);
        } else if (order.length > 0) {
          const name = order.splice(o.remove % order.length, 1)[0]!;
          table.remove(model.get(name)!);
          model.delete(name);
        }
        for (const [name, row] of model) {
          const [h1, h2] = name.split(':').map(Number) as [number, number];
          assert.equal(table.find(h1, h2), row, `${name} after ${JSON.stringify(o)}`);
        }
        const walked: number[] = [];
        for (let r = table.oldest; r >= 0; r = table.newerThan(r)) walked.push(r);
        assert.deepEqual(walked, order.map((n) => model.get(n)!));
        assert.equal(table.count, model.size);
      }
    }), { numRuns: 300 });
  });

  it('a reused row starts clean', () => {
    const t = new TcpFlowTable(16);
    const a = t.add(1, 1);
    t.segment(a, 0, 10, 1, 1000, 0, SYN, 0, 200_000);
    t.segment(a, 0, 20, 2, 1000, 0, SYN, 0, 200_000);
    assert.equal(t.packets(a), 2);
    assert.equal(t.retransmissions(a), 1, 'the SYN sent again');
    assert.equal(t.clientSide(a), 0);
    t.remove(a);
    const b = t.add(2, 2);
    assert.equal(b, a, 'the freed row is taken again');
    assert.equal(t.packets(b), 0);
    assert.equal(t.retransmissions(b), 0);
    assert.equal(t.clientSide(b), -1);
  });

  it('reports a stall when something waits unacknowledged longer than the threshold, from the wait start to the acknowledgement', () => {
    const t = new TcpFlowTable();
    const r = t.add(7, 7);
    t.segment(r, 0, 1_000, 1, 100, 0, SYN, 0, 200_000);
    t.segment(r, 1, 2_000, 2, 500, 101, SYN | ACK, 0, 200_000);
    t.segment(r, 0, 3_000, 3, 101, 501, ACK, 10, 200_000);
    assert.equal(t.stallEnded, false);
    // One wait from the client's SYN (frame 1) on: the SYN-ACK is that side's first acknowledgement, which is not
    // progress, and leaves the server's SYN outstanding until the client acknowledges it.
    t.segment(r, 1, 503_000, 4, 501, 111, ACK, 0, 200_000);
    assert.equal(t.stallEnded, true);
    assert.deepEqual([t.stallStartUs, t.stallEndUs, t.stallFirstFrame, t.stallUnanswered], [1_000, 503_000, 1, false]);
    // Data left unanswered at the end is a stall up to the flow's last packet.
    t.segment(r, 0, 600_000, 5, 111, 501, ACK, 5, 200_000);
    t.end(r, 200_000, 900_000);
    assert.deepEqual([t.stallEnded, t.stallStartUs, t.stallEndUs, t.stallUnanswered], [true, 600_000, 600_000, true]);
  });
});
