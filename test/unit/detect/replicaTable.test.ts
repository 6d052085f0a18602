import { strict as assert } from 'node:assert';
import { NO_SLOT, NO_STREAM, ReplicaTable } from '../../../src/core/detect/replicaTable';

const GAP_US = 1_000_000;

/** A key in bucket `bucket` of a table with `buckets` buckets (h1's low bits choose the bucket). */
function key(bucket: number, buckets: number, n: number): [number, number] {
  return [(n * buckets + bucket) >>> 0, Math.imul(n + 1, 0x9e3779b1) >>> 0];
}

function insert(t: ReplicaTable, [h1, h2]: [number, number], timeUs: number, ttl = 64, frame = 1): number {
  const slot = t.victim(h1, timeUs, GAP_US);
  if (t.isUsed(slot)) t.free(slot);
  t.start(slot, h1, h2, timeUs, ttl, frame, 0);
  return slot;
}

describe('replica table (index over a ring of sightings)', () => {
  it('finds a key by its full 64 bits, not only by its bucket and tag', () => {
    const t = new ReplicaTable(8);
    const [h1, h2] = [0x1234_5670, 0xabcd_ef01];
    const slot = insert(t, [h1, h2], 10, 60, 7);
    assert.equal(t.find(h1, h2), slot);
    assert.deepEqual([t.firstTtl(slot), t.lastTtl(slot), t.firstFrame(slot), t.lastUs(slot), t.count(slot)], [60, 60, 7, 10, 1]);
    // Same bucket, same tag bits, other low bits of h2: a different packet.
    assert.equal(t.find(h1, h2 ^ 1), NO_SLOT);
    assert.equal(t.find(h1 ^ 0x1000_0000, h2), NO_SLOT);
  });

  it('keeps a staircase: the first sighting stays, the last one moves', () => {
    const t = new ReplicaTable(8);
    const slot = insert(t, key(3, 16, 0), 100, 63, 1);
    t.extend(slot, 200, 61, 5, 1);
    t.extend(slot, 300, 59, 9, 0);
    assert.deepEqual([t.firstUs(slot), t.firstTtl(slot), t.firstFrame(slot), t.firstDir(slot)], [100, 63, 1, 0]);
    assert.deepEqual([t.lastUs(slot), t.lastTtl(slot), t.lastFrame(slot), t.lastDir(slot), t.count(slot)], [300, 59, 9, 0, 3]);
  });

  it('evicts the least recently seen key of a full bucket; a sighting makes a key recent again', () => {
    const t = new ReplicaTable(8); // 256 slots: 16 buckets of 16
    const keys = Array.from({ length: 16 }, (_, n) => key(5, 16, n));
    const slots = keys.map((k, n) => insert(t, k, 1000 + n));
    assert.equal(t.victim(keys[0]![0], 2000, GAP_US), slots[0]);
    t.extend(slots[0]!, 2000, 63, 2, 0);
    assert.equal(t.victim(keys[0]![0], 2001, GAP_US), slots[1], 'key 0 was just seen: key 1 is now the oldest');
    insert(t, key(5, 16, 99), 2002);
    assert.equal(t.find(...keys[1]!), NO_SLOT);
    for (const n of [0, 2, 15]) assert.notEqual(t.find(...keys[n]!), NO_SLOT);
  });

  it('prefers keys without an open stream, unless the stream is stale', () => {
    const t = new ReplicaTable(8);
    const slots = Array.from({ length: 16 }, (_, n) => insert(t, key(2, 16, n), 1000 + n));
    t.setStream(slots[0]!, 7);
    assert.equal(t.stream(slots[0]!), 7);
    assert.equal(t.victim(key(2, 16, 0)[0], 2000, GAP_US), slots[1], 'the oldest without a stream');
    // Two seconds later every key is stale: the oldest of them goes, stream or not.
    assert.equal(t.victim(key(2, 16, 0)[0], 2_100_000, GAP_US), slots[0]);
    t.setStream(slots[0]!, NO_STREAM);
    assert.equal(t.stream(slots[0]!), NO_STREAM);
  });

  it('forgets a key once the ring has written `capacity` newer sightings, even in an idle bucket', () => {
    const t = new ReplicaTable(5); // 32 slots: 2 buckets of 16, a ring of 32 entries
    const quiet = key(0, 2, 0);
    const slot = insert(t, quiet, 0);
    for (let n = 0; n < 31; n++) insert(t, key(1, 2, n), n + 1);
    assert.equal(t.find(...quiet), slot, '31 newer sightings: still in the ring');
    insert(t, key(1, 2, 31), 32);
    assert.equal(t.find(...quiet), NO_SLOT, 'its entry was overwritten');
    assert.equal(t.victim(quiet[0], 33, GAP_US), slot, 'and its slot is free for the taking');
  });

  it('never takes an overwritten entry for a live one when sequence numbers wrap', () => {
    // 32 slots: sequence numbers of 9 bits wrap every 512 sightings; a clean every 256 empties forgotten slots.
    const t = new ReplicaTable(5);
    const quiet = key(0, 2, 0);
    const slot = insert(t, quiet, 0);
    for (let n = 0; n < 3000; n++) {
      insert(t, key(1, 2, n), n + 1);
      if (n < 31) continue;
      assert.equal(t.find(...quiet), NO_SLOT, `after ${n + 1} sightings`);
      assert.ok(!t.isUsed(slot) || t.age(slot) >= t.capacity, `after ${n + 1} sightings the slot looks live again`);
      assert.equal(t.victim(quiet[0], n + 2, GAP_US), slot);
    }
  });

  it('refresh keeps an entry in the ring without changing it', () => {
    const t = new ReplicaTable(5);
    const kept = key(0, 2, 0);
    const slot = insert(t, kept, 0, 61, 3);
    for (let n = 0; n < 100; n++) {
      insert(t, key(1, 2, n), n + 1);
      if (t.age(slot) >= t.capacity / 2) t.refresh(slot);
    }
    assert.equal(t.find(...kept), slot);
    assert.deepEqual([t.lastUs(slot), t.lastTtl(slot), t.firstFrame(slot), t.count(slot)], [0, 61, 3, 1]);
  });
});
