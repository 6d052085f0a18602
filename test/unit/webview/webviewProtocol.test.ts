import assert from 'node:assert/strict';
import { parseViewState, parseWebviewMessage, reportFiles, reportForWebview } from '../../../src/shared/webviewProtocol';
import { syntheticReport } from '../../browser/syntheticReport';

describe('webview protocol: messages from the page are validated', () => {
  const report = syntheticReport({ seed: 1, episodes: 1, streamsPerEpisode: 3, events: 50 });
  const files = reportFiles(report);
  const logFile = report.events[0]!.source.file;

  it('knows the Report files (inputs and event sources)', () => {
    assert.ok(files.has(logFile));
    assert.ok(files.has('captures/core-access.pcapng'));
  });

  it('accepts an open request for a Report file at a positive line', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'open-location', file: logFile, line: 3, extra: 'x' }, files), { ok: true, message: { type: 'open-location', file: logFile, line: 3 } });
  });

  it('refuses files outside the Report, bad lines, unknown types and non-objects', () => {
    const bad: unknown[] = [
      { type: 'open-location', file: '/etc/passwd', line: 1 },
      { type: 'open-location', file: `${logFile}/../../secret`, line: 1 },
      { type: 'open-location', file: logFile, line: 0 },
      { type: 'open-location', file: logFile, line: 1.5 },
      { type: 'open-location', file: logFile, line: '3' },
      { type: 'selection', startUs: 5, endUs: 1 },
      { type: 'selection', startUs: NaN, endUs: 1 },
      { type: 'export', format: 'exe' },
      { type: 'export', format: 'png', dataUrl: 'data:text/html;base64,PGI+' },
      { type: 'export', format: 'png', dataUrl: 'data:image/png;base64,<script>' },
      { type: 'run-command', command: 'rm' },
      null,
      'ready',
      [{ type: 'ready' }],
    ];
    for (const m of bad) {
      const r = parseWebviewMessage(m, files);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.ok(r.reason.length > 0);
    }
  });

  it('accepts the other well-formed messages', () => {
    for (const m of [{ type: 'ready' }, { type: 'selection', startUs: 1, endUs: 2 }, { type: 'selection-cleared' }, { type: 'export', format: 'json' }, { type: 'export', format: 'html' }, { type: 'export', format: 'png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }]) {
      assert.deepEqual(parseWebviewMessage(m, files), { ok: true, message: m });
    }
  });

  it('reads persisted view state defensively', () => {
    assert.deepEqual(parseViewState(null), { version: 1 });
    assert.deepEqual(parseViewState({ viewUs: [2, 1], selectionUs: [1, 'x'], episodeId: 7, collapsedGroups: ['a', 3], reportKey: 'k' }), { version: 1, collapsedGroups: ['a'], reportKey: 'k' });
    assert.deepEqual(parseViewState({ viewUs: [1, 2], episodeId: 'loop-1' }), { version: 1, viewUs: [1, 2], episodeId: 'loop-1' });
  });

  it('posts ladders as typed arrays with the same values, leaving the Report itself untouched', () => {
    const wire = reportForWebview(report);
    const l = report.loops[0]!;
    const w = wire.loops[0]!.ladder as unknown as Record<string, ArrayLike<number>>;
    assert.ok(w.timeUs instanceof Float64Array && w.ttl instanceof Uint8Array && w.stream instanceof Int32Array);
    for (const k of ['timeUs', 'ttl', 'frame', 'stream', 'direction'] as const) assert.deepEqual(Array.from(w[k]!), l.ladder[k]);
    assert.ok(Array.isArray(l.ladder.timeUs));
    assert.equal(wire.events, report.events);
  });
});
