/**
 * What the pages send the host is untrusted (they render hostile text): property tests over arbitrary values for the
 * host's message parsers. None may throw; "open a file" is accepted only for a file of the Report, at a positive line;
 * a persisted view state always comes back well-formed.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isCaptureEditorMessage } from '../../src/host/captureEditorHtml';
import { parseViewState, parseWebviewMessage } from '../../src/shared/webviewProtocol';

const KNOWN = new Set(['/ws/logs/gobgpd.log', 'relative/kubelet.log']);
const anyFile = fc.oneof(fc.constantFrom(...KNOWN, '/etc/passwd', '../../.ssh/id_rsa', '/ws/logs/gobgpd.log/../../x', ''), fc.string());
const anyLine = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity, 2 ** 53), fc.string(), fc.constant(null));

describe('security: messages from the pages', () => {
  it('parseWebviewMessage never throws on any value, and every accepted message is well-formed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom('ready', 'open-location', 'selection', 'selection-cleared', 'export', 'x'), file: anyFile, line: anyLine, startUs: anyLine, endUs: anyLine, format: fc.constantFrom('png', 'json', 'html', 'exe'), dataUrl: fc.string() }, { requiredKeys: ['type'] })), (raw) => {
        const r = parseWebviewMessage(raw, KNOWN);
        if (!r.ok) return assert.ok(r.reason.length > 0);
        const m = r.message;
        if (m.type === 'open-location') {
          assert.ok(KNOWN.has(m.file), `opened ${m.file}`);
          assert.ok(Number.isSafeInteger(m.line) && m.line >= 1);
        }
        if (m.type === 'selection') assert.ok(Number.isFinite(m.startUs) && Number.isFinite(m.endUs) && m.startUs <= m.endUs);
        if (m.type === 'export' && m.format === 'png') assert.ok(m.dataUrl.startsWith('data:image/png;base64,'));
        return true;
      }),
      { numRuns: 20_000 },
    );
  });

  it('open-location for a file that is not in the Report is refused, whatever its spelling', () => {
    fc.assert(
      fc.property(anyFile.filter((f) => !KNOWN.has(f)), fc.integer({ min: 1 }), (file, line) => {
        assert.equal(parseWebviewMessage({ type: 'open-location', file, line }, KNOWN).ok, false);
      }),
      { numRuns: 5_000 },
    );
  });

  it('parseViewState never throws and returns only ordered finite pairs and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ viewUs: fc.anything(), selectionUs: fc.array(anyLine), episodeId: fc.anything(), collapsedGroups: fc.array(fc.anything()) })), (raw) => {
        const s = parseViewState(raw);
        assert.equal(s.version, 1);
        for (const pair of [s.viewUs, s.selectionUs]) if (pair) assert.ok(Number.isFinite(pair[0]) && Number.isFinite(pair[1]) && pair[0] < pair[1]);
        if (s.episodeId !== undefined) assert.equal(typeof s.episodeId, 'string');
        for (const g of s.collapsedGroups ?? []) assert.equal(typeof g, 'string');
      }),
      { numRuns: 20_000 },
    );
  });

  it('the capture editor accepts exactly its three commands', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const ok = isCaptureEditorMessage(raw);
        const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
        assert.equal(ok, type === 'analyze' || type === 'show-log' || type === 'show-timeline');
      }),
      { numRuns: 20_000 },
    );
  });
});
