/**
 * Property tests: whatever the lines (real shapes cut, spliced and corrupted, or noise), the reader never throws,
 * its counts add up, and its events are well-formed and in time order.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseLogLines } from '../../../src/core/logs/read';
import { EVENT_KINDS } from '../../../src/core/model/events';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'logs');
/** Real and documented lines as seeds: mutations of them reach deep into every format. */
const seeds = ['real', 'documented'].flatMap((d) =>
  readdirSync(join(fixtures, d))
    .filter((f) => !/\.(sh|java)$/.test(f))
    .flatMap((f) => readFileSync(join(fixtures, d, f), 'utf8').split('\n')),
).filter((l) => l.length > 0);

const mutatedLine = fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ maxLength: 12, unit: 'binary' })).map(
  ([line, a, b, insert]) => {
    const i = a % (line.length + 1);
    const j = Math.min(line.length, i + (b % 8));
    return line.slice(0, i) + insert + line.slice(j);
  },
);
const anyLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...seeds) },
  { weight: 4, arbitrary: mutatedLine },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

describe('logs: property tests', () => {
  it('never throws; counts add up; events are well-formed, sorted, numbered', () => {
    let events = 0;
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 60 }), fc.constantFrom(undefined, 'Europe/Berlin', '+05:30'), fc.integer({ min: -100_000, max: 100_000 }), (lines, timeZone, clockOffsetMs) => {
        const r = parseLogLines(lines, 'fuzz.log', { timeZone, clockOffsetMs, year: 2026 });
        const s = r.summary;
        events += r.events.length;
        assert.equal(s.lines, lines.length);
        assert.equal(s.events, r.events.length);
        assert.ok(s.ignoredLines >= 0 && s.ignoredLines <= s.lines);
        r.events.forEach((e, i) => {
          assert.equal(e.id, `ev-${i + 1}`);
          assert.ok((EVENT_KINDS as readonly string[]).includes(e.kind), e.kind);
          assert.match(e.time, ISO);
          assert.ok(Number.isFinite(e.timeUs));
          assert.equal(Math.floor(Date.parse(e.time) / 1000), Math.floor(e.timeUs / 1e6), e.time);
          assert.ok(e.source.line >= 1 && e.source.line <= lines.length);
          assert.ok(e.message.length <= 2001);
          if (i > 0) assert.ok(r.events[i - 1].timeUs <= e.timeUs);
        });
      }),
      { numRuns: 300, seed: 20261124 },
    );
    // The generator reaches the formats: most runs hold events, not only noise.
    assert.ok(events > 100, String(events));
  });

  it('a clock offset moves every event by exactly that much', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...seeds), { minLength: 1, maxLength: 30 }), fc.integer({ min: -86_400_000, max: 86_400_000 }), (lines, offset) => {
        const a = parseLogLines(lines, 'x.log', { year: 2026 });
        const b = parseLogLines(lines, 'x.log', { year: 2026, clockOffsetMs: offset });
        assert.equal(a.events.length, b.events.length);
        const shifted = a.events.map((e) => e.timeUs + offset * 1000).sort((x, y) => x - y);
        assert.deepEqual(b.events.map((e) => e.timeUs), shifted);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
