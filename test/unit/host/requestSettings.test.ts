import { strict as assert } from 'node:assert';
import { buildAnalyzeRequest, fileSettingsKey, isValidTimeZone, parseClockOffset } from '../../../src/host/requestSettings';

describe('host: settings -> AnalyzeRequest', () => {
  it('resolves per-file time settings given relative to each workspace folder, and keeps absolute keys', () => {
    const { request, warnings } = buildAnalyzeRequest(
      ['/ws1/logs/core.log'],
      {
        fileTimeSettings: {
          'logs/core.log': { timeZone: 'Europe/Berlin', clockOffsetMs: -1500 },
          '/var/log/bird.log': { year: 2026 },
        },
        defaultTimeZone: '+01:00',
        stallThresholdMs: 350,
        loopEpisodeGapMs: 2000,
      },
      ['/ws1', '/ws2'],
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(request, {
      paths: ['/ws1/logs/core.log'],
      defaultTimeZone: '+01:00',
      stallThresholdMs: 350,
      loopDetection: { episodeGapMs: 2000 },
      fileSettings: {
        '/ws1/logs/core.log': { timeZone: 'Europe/Berlin', clockOffsetMs: -1500 },
        '/ws2/logs/core.log': { timeZone: 'Europe/Berlin', clockOffsetMs: -1500 },
        '/var/log/bird.log': { year: 2026 },
      },
    });
  });

  it('skips bad entries with a warning that names the setting, and keeps the good ones', () => {
    const { request, warnings } = buildAnalyzeRequest(
      ['/w/a.log'],
      {
        defaultTimeZone: 'Mars/Olympus',
        fileTimeSettings: { 'a.log': { timeZone: 'nowhere', clockOffsetMs: 20 }, 'b.log': 5 },
        customLogFormats: [
          { name: 'ok', pattern: '^(?<time>\\S+) (?<msg>.*)$' },
          { name: 'broken', pattern: '(?<time>[' },
          { name: 'no-time', pattern: '^(?<msg>.*)$' },
          'not an object',
        ],
        stallThresholdMs: -3,
        loopStreamGapMs: 'long',
      },
      ['/w'],
    );
    assert.deepEqual(request.fileSettings, { '/w/a.log': { clockOffsetMs: 20 } });
    assert.deepEqual(request.customLogFormats, [{ name: 'ok', pattern: '^(?<time>\\S+) (?<msg>.*)$' }]);
    assert.equal(request.defaultTimeZone, undefined);
    assert.equal(request.stallThresholdMs, undefined);
    assert.equal(request.loopDetection, undefined);
    assert.equal(warnings.length, 8, warnings.join('\n'));
    assert.ok(warnings.includes('incidentLens.loopDetection.streamGapMs should be a positive number of milliseconds; the default is used.'));
    assert.ok(warnings.some((w) => w.startsWith('incidentLens.customLogFormats[1] ("broken"): the pattern is not a valid regular expression')));
    assert.ok(warnings.some((w) => w.startsWith('incidentLens.fileTimeSettings["a.log"].timeZone "nowhere"')));
  });

  it('accepts clock offsets as people type them', () => {
    assert.equal(parseClockOffset('1500'), 1500);
    assert.equal(parseClockOffset('-250ms'), -250);
    assert.equal(parseClockOffset('+2s'), 2000);
    assert.equal(parseClockOffset('1.5 s'), 1500);
    assert.equal(parseClockOffset('-3m'), -180000);
    assert.equal(parseClockOffset('two seconds'), undefined);
    assert.equal(parseClockOffset('8d'), undefined);
    assert.equal(parseClockOffset('1e309'), undefined);
  });

  it('knows time zones by IANA name or offset', () => {
    for (const z of ['UTC', 'Europe/Berlin', 'Asia/Hong_Kong', '+02:00', '-0530', 'Z']) assert.ok(isValidTimeZone(z), z);
    for (const z of ['Mars/Olympus', '+25:00', '2', '']) assert.ok(!isValidTimeZone(z), z);
  });

  it('stores a file\'s settings under its workspace-relative path, or its absolute path outside', () => {
    assert.equal(fileSettingsKey('/ws/logs/a.log', ['/other', '/ws']), 'logs/a.log');
    assert.equal(fileSettingsKey('/tmp/a.log', ['/ws']), '/tmp/a.log');
    assert.equal(fileSettingsKey('/wsx/a.log', ['/ws']), '/wsx/a.log');
  });
});
