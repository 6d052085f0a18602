import { strict as assert } from 'node:assert';
import {
  DayInference, YearInference, addMillis, instantOf, isoOf, microsOf, parseAge, parseIsoStamp, stampFromEpochDigits, stampOf, zoneFor,
} from '../../../src/core/logs/timestamps';
import type { Stamp } from '../../../src/core/logs/timestamps';

function iso(s: Stamp, year = s.year ?? 2026, zone = 'UTC'): string {
  return isoOf(instantOf(s, year, zoneFor(zone)));
}

describe('logs/timestamps', () => {
  it('keeps nanoseconds of RFC 3339 times in the ISO string and truncates to µs in timeUs', () => {
    const s = parseIsoStamp('2026-11-24T10:00:01.123456789Z');
    assert.ok(s);
    const t = instantOf(s, 2026, zoneFor('UTC'));
    assert.equal(isoOf(t), '2026-11-24T10:00:01.123456789Z');
    assert.equal(microsOf(t), Date.UTC(2026, 10, 24, 10, 0, 1) * 1000 + 123456);
  });

  it('applies written offsets (+01:00, +0100, comma fractions) before any zone setting', () => {
    assert.equal(iso(parseIsoStamp('2026-11-24T11:00:01,5+01:00')!, 2026, 'America/New_York'), '2026-11-24T10:00:01.500Z');
    assert.equal(iso(parseIsoStamp('2026-11-24T11:00:01+0100')!), '2026-11-24T10:00:01Z');
    assert.equal(iso(parseIsoStamp('2026-11-24 04:00:01-06')!), '2026-11-24T10:00:01Z');
  });

  it('resolves zone-less times in an IANA zone, across daylight saving time', () => {
    const winter = stampOf(2026, 1, 15, 12, 0, 0)!;
    const summer = stampOf(2026, 7, 15, 12, 0, 0)!;
    assert.equal(iso(winter, 2026, 'Europe/Berlin'), '2026-01-15T11:00:00Z');
    assert.equal(iso(summer, 2026, 'Europe/Berlin'), '2026-07-15T10:00:00Z');
    assert.equal(iso(summer, 2026, '+05:30'), '2026-07-15T06:30:00Z');
  });

  it('rejects an unknown zone with a message naming it', () => {
    assert.throws(() => zoneFor('Mars/Olympus'), /unknown time zone 'Mars\/Olympus'/);
  });

  it('reads epoch digits exactly (journald µs, Prometheus ms)', () => {
    assert.equal(iso(stampFromEpochDigits('1795514401123456', 'us')!), '2026-11-24T10:00:01.123456Z');
    assert.equal(iso(stampFromEpochDigits('1795514415000', 'ms')!), '2026-11-24T10:00:15Z');
  });

  it('adds clock offsets with carries in both directions', () => {
    const t = { sec: 100, nanos: 900_000_000 };
    assert.deepEqual(addMillis(t, 250), { sec: 101, nanos: 150_000_000 });
    assert.deepEqual(addMillis(t, -1000.5), { sec: 99, nanos: 899_500_000 });
  });

  describe('year inference', () => {
    const yl = (month: number, day: number): Stamp => stampOf(undefined, month, day, 12, 0, 0)!;

    it('counts a December -> January rollover forward from the setting', () => {
      const y = new YearInference();
      const rels = [yl(12, 30), yl(12, 31), yl(1, 1), yl(1, 2)].map((s) => y.observe(s));
      assert.deepEqual(rels, [0, 0, 1, 1]);
      assert.deepEqual(y.baseYear(2025, undefined, 0), { year: 2025, source: 'setting' });
    });

    it('keeps a line written out of order across New Year in the old year', () => {
      const y = new YearInference();
      const rels = [yl(12, 31), yl(1, 1), yl(12, 31), yl(1, 1)].map((s) => y.observe(s));
      assert.deepEqual(rels, [0, 1, 0, 1]);
    });

    it('takes the year from a dated line of the same file before the setting', () => {
      const y = new YearInference();
      y.observe(yl(12, 31));
      y.observe(stampOf(2027, 1, 1, 0, 0, 1)!);
      assert.deepEqual(y.baseYear(1999, undefined, 0), { year: 2026, source: 'dated lines' });
    });

    it('puts the last line at or before the reference time (file mtime)', () => {
      const y = new YearInference();
      y.observe(yl(12, 30));
      y.observe(yl(1, 2));
      // mtime 2027-01-03: the January line is 2027, so the December line is 2026.
      assert.deepEqual(y.baseYear(undefined, Date.UTC(2027, 0, 3) * 1000, 0), { year: 2026, source: 'reference time' });
      // mtime 2027-01-01: a "Jan 2" line cannot be in 2027 yet: 2026, and December is 2025.
      assert.deepEqual(y.baseYear(undefined, Date.UTC(2027, 0, 1) * 1000, 0), { year: 2025, source: 'reference time' });
    });
  });

  describe('date inference (time-of-day-only lines)', () => {
    const t = (h: number, m: number): Stamp => ({ ...stampOf(undefined, 1, 1, h, m, 0)!, dateless: true });
    it('counts midnight crossings and takes the day from a dated line of the file', () => {
      const d = new DayInference();
      assert.deepEqual([t(23, 50), t(23, 59), t(0, 1), t(23, 58), t(0, 2)].map((s) => d.observe(s)), [0, 0, 1, 0, 1]);
      d.observe(stampOf(2026, 11, 25, 0, 5, 0)!);
      assert.deepEqual(d.baseDay(undefined, 0, zoneFor('UTC')), { dayMs: Date.UTC(2026, 10, 24), source: 'dated lines' });
    });
    it('puts the last line on the reference day, or the day before when it would be later than the reference', () => {
      const d = new DayInference();
      d.observe(t(22, 0));
      assert.equal(d.baseDay(Date.UTC(2026, 10, 25, 23, 0) * 1000, 0, zoneFor('UTC')).dayMs, Date.UTC(2026, 10, 25));
      assert.equal(d.baseDay(Date.UTC(2026, 10, 25, 8, 0) * 1000, 0, zoneFor('UTC')).dayMs, Date.UTC(2026, 10, 24));
    });
  });

  it('reads kubectl ages', () => {
    assert.equal(parseAge('45s'), 45_000);
    assert.equal(parseAge('2m30s'), 150_000);
    assert.equal(parseAge('3d4h'), (3 * 24 + 4) * 3_600_000);
    assert.equal(parseAge('<unknown>'), undefined);
  });
});
