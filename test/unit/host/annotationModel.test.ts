import { strict as assert } from 'node:assert';
import { annotationsFor, buildAnnotations, commandLink, escapeMarkdown } from '../../../src/host/annotationModel';
import { LOG_APP, LOG_GOBGP, LOG_KLOG, sampleReport } from './sampleReport';

describe('host: inline log annotations', () => {
  const index = buildAnnotations(sampleReport(), 'analysis-7');

  it('writes the chain after the BGP peer-down line: what it is, the lag from the step before, what came next', () => {
    const [peerDown] = annotationsFor(index, LOG_GOBGP).filter((a) => a.line === 3);
    assert.ok(peerDown);
    assert.equal(peerDown.afterText, 'BGP peer down · 420 ms after restart · loop-1 started +100 ms');
    assert.equal(peerDown.kind, 'chain');
    assert.deepEqual(peerDown.chainIds, ['chain-1']);
  });

  it('marks lines that are events but no chain step with the event kind only', () => {
    const peerUp = annotationsFor(index, LOG_GOBGP).find((a) => a.line === 5);
    assert.equal(peerUp?.afterText, 'BGP peer up');
    assert.equal(peerUp?.kind, 'event');
  });

  it('puts the CodeLens on the chain\'s first log line only', () => {
    const starts = [...index.values()].flat().filter((a) => a.chainStarts.length).map((a) => a.line);
    assert.deepEqual(starts, [7]);
    assert.deepEqual(annotationsFor(index, LOG_KLOG)[0]!.chainStarts, ['chain-1']);
    assert.equal(annotationsFor(index, LOG_APP)[0]!.afterText, 'Client timeouts · 2.00 s after routing loop');
  });

  it('finds a file\'s annotations under any spelling of its path', () => {
    assert.equal(annotationsFor(index, '/cases/inc-42/../inc-42/gobgpd.log').length, 2);
    assert.equal(annotationsFor(index, '/cases/other.log').length, 0);
  });

  it('shows log text in the hover literally: no links, images or HTML from a log line', () => {
    const hover = annotationsFor(index, LOG_GOBGP).find((a) => a.line === 3)!.hoverMarkdown;
    // The peer-down message carries "[x](command:workbench.action.quit) <img src=x onerror=alert(1)>".
    assert.ok(!hover.includes('](command:workbench'), hover);
    assert.ok(!hover.includes('<img'), hover);
    assert.equal(escapeMarkdown('[x](command:q) <b>*a*</b>'), '\\[x\\]\\(command:q\\) &lt;b&gt;\\*a\\*&lt;/b&gt;');
  });

  it('links the hover to the timeline with the analysis and the focus as command arguments', () => {
    const hover = annotationsFor(index, LOG_KLOG)[0]!.hoverMarkdown;
    const links = [...hover.matchAll(/\(command:incidentLens\.showTimeline\?([^ )]+)/g)].map((m) => JSON.parse(decodeURIComponent(m[1]!)));
    assert.deepEqual(links, [
      [{ analysisId: 'analysis-7', focus: { kind: 'event', eventId: 'ev-1' } }],
      [{ analysisId: 'analysis-7', focus: { kind: 'chain', chainId: 'chain-1' } }],
    ]);
    assert.match(commandLink('Go', 'incidentLens.showTimeline', [1]), /^\[Go\]\(command:incidentLens\.showTimeline\?%5B1%5D "Go"\)$/);
  });
});
