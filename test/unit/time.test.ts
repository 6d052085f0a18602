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
