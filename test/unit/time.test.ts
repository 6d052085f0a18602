import { strict as assert } from 'node:assert';
import { isoFromSecNsec, microsFromSecNsec, isoFromMicros } from '../../src/core/model/time';

describe('model/time', () => {
  it('keeps every significant fraction digit, in groups of 3', () => {
    assert.equal(isoFromSecNsec(1_700_000_000, 0), '2023-11-14T22:13:20Z');
    assert.equal(isoFromSecNsec(1_700_000_000, 120_000_000), '2023-11-14T22:13:20.120Z');
    assert.equal(isoFromSecNsec(1_700_000_000, 123_456_000), '2023-11-14T22:13:20.123456Z');
    assert.equal(isoFromSecNsec(1_700_000_000, 1), '2023-11-14T22:13:20.000000001Z');
  });
  it('round-trips microseconds exactly far beyond 2038', () => {
    const us = microsFromSecNsec(4_102_444_800, 999_999_000); // 2100-01-01
    assert.equal(us, 4_102_444_800_999_999);
    assert.equal(isoFromMicros(us), '2100-01-01T00:00:00.999999Z');
  });
});

describe('model/time beyond the Date range', () => {
  it('agrees with Date wherever Date can say it', () => {
    for (const sec of [0, 951_782_400 /* 2000-02-29 */, 4_102_444_800, 253_402_300_799, -86_400, -62_135_596_800]) {
      const viaDate = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
      assert.equal(isoFromSecNsec(sec, 0), viaDate, `sec ${sec}`);
    }
  });
  it('prints year 10000 and later in the expanded form instead of cutting the seconds', () => {
    assert.equal(isoFromSecNsec(253_402_300_800, 5), '+010000-01-01T00:00:00.000000005Z');
  });
  it('does not throw for 64-bit pcapng tick counts far outside Date (2^63 ns as seconds)', () => {
    const iso = isoFromSecNsec(9_223_372_036, 854_775_807);
    assert.equal(iso, '2262-04-11T23:47:16.854775807Z');
    assert.match(isoFromSecNsec(2 ** 52, 0), /^\+\d{6,}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
  it('carries nanoseconds outside one second into the seconds', () => {
    assert.equal(isoFromSecNsec(10, 1_500_000_000), '1970-01-01T00:00:11.500Z');
  });
});
