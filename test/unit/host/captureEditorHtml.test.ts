import { strict as assert } from 'node:assert';
import { captureEditorHtml, isCaptureEditorMessage, linkTypeName } from '../../../src/host/captureEditorHtml';
import type { CaptureSummary } from '../../../src/core/capture/types';
import { sampleReport } from './sampleReport';

const hostile = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

function summary(): CaptureSummary {
  return {
    file: '/c/loop.pcapng', format: 'pcapng', byteOrder: 'le', version: '1.0', sections: 1,
    interfaces: [{ section: 1, interfaceId: 0, linkType: 1, snapLen: 262144, name: hostile, description: 'core "uplink"', tsResolution: '10^-6', tsOffsetSec: 0 }],
    packets: 123456, skippedBlocks: 2, bytesRead: 1_000_000, fileSize: 1_000_100,
    firstTime: { sec: 1_795_514_400, nsec: 0 }, lastTime: { sec: 1_795_514_412, nsec: 500_000_000 },
    problems: [{ file: '/c/loop.pcapng', byteOffset: 1_000_000, reason: `block length 16 is below ${hostile}`, fatal: true }],
  };
}

describe('host: capture editor page', () => {
  const html = captureEditorHtml({ status: 'ready', fileName: 'loop.pcapng', summary: summary(), analysed: false }, 'NONCE123', 'vscode-resource:');

  it('shows format, packets, the time span and each problem with its byte offset', () => {
    assert.ok(html.includes('pcapng 1.0, little-endian'));
    assert.ok(html.includes('<td>123,456</td>'));
    assert.ok(html.includes('2026-11-24T10:00:00Z – 2026-11-24T10:00:12.500Z (12.5 s)'), html);
    assert.ok(html.includes('byte 1,000,000: block length 16 is below'));
    assert.ok(html.includes('reading stopped here'));
    assert.ok(html.includes('Ethernet (1), snaplen 262144'));
    assert.ok(html.includes('data-msg="analyze"'));
    assert.ok(!html.includes('data-msg="show-timeline"'), 'no timeline button before an analysis');
  });

  it('renders names and problem texts from the file as text, never as markup', () => {
    assert.ok(!html.includes('<img'));
    assert.equal(html.match(/<script/g)?.length, 1, 'only the page\'s own script');
    assert.ok(html.includes('core &#34;uplink&#34;'));
  });

  it('allows only its nonce-tagged script and style (no inline handlers, no remote content)', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-NONCE123'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    assert.ok(html.includes('<script nonce="NONCE123">'));
    assert.ok(!/\son[a-z]+=/.test(html.replace(/onerror=alert\(1\)/g, '')), 'no inline event handlers of our own');
  });

  it('lists the loop episodes found once the capture was analysed, with a timeline button', () => {
    const loops = sampleReport().loops;
    const after = captureEditorHtml({ status: 'ready', fileName: 'x.pcapng', summary: summary(), analysed: true, loops }, 'n', 's');
    assert.ok(after.includes('<h2>1 routing loop</h2>'));
    assert.ok(after.includes('loop-1: 10:00:01.520, 3.00 s, TTL step 2, 230 looped packets to 10.244.1.0/24 (frames 1200–4100)'), after);
    assert.ok(after.includes('data-msg="show-timeline"'));
    const none = captureEditorHtml({ status: 'ready', fileName: 'x.pcapng', summary: summary(), analysed: true, loops: [] }, 'n', 's');
    assert.ok(none.includes('No routing loops found'));
  });

  it('reports reading progress and read errors', () => {
    assert.ok(captureEditorHtml({ status: 'reading', fileName: 'a.pcap', percent: 42 }, 'n', 's').includes('Reading the capture… 42%'));
    const err = captureEditorHtml({ status: 'error', fileName: 'a.pcap', message: '/c/a.pcap could not be read: EACCES <b>' }, 'n', 's');
    assert.ok(err.includes('/c/a.pcap could not be read: EACCES &#60;b&#62;'));
    assert.ok(err.includes('data-msg="show-log"'));
  });

  it('accepts only its three message types from the page', () => {
    assert.ok(isCaptureEditorMessage({ type: 'analyze' }));
    assert.ok(isCaptureEditorMessage({ type: 'show-log' }));
    for (const m of [null, 'analyze', { type: 'open', file: '/etc/passwd' }, [], { kind: 'analyze' }]) assert.ok(!isCaptureEditorMessage(m));
  });

  it('names common link types and still shows unknown ones', () => {
    assert.equal(linkTypeName(276), 'Linux cooked v2 (SLL2) (276)');
    assert.equal(linkTypeName(4242), 'link type 4242');
  });
});
