import assert from 'node:assert/strict';
import { buildCsp, buildPanelHtml, buildSnapshotHtml, escapeHtml, jsonForScriptElement, makeNonce } from '../../../src/host/webviewHtml';
import { HOSTILE_MESSAGE, syntheticReport } from '../../browser/syntheticReport';

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'page has a CSP meta tag');
  return m[1]!.replace(/&#39;/g, "'");
}

describe('webview HTML and CSP', () => {
  it('makes a fresh 128-bit nonce each time', () => {
    const a = makeNonce();
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.notEqual(a, makeNonce());
  });

  it('allows only nonce-tagged scripts and nothing remote', () => {
    const csp = buildCsp({ nonce: 'N0nce', cspSource: 'https://file+.vscode-resource.vscode-cdn.net' });
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
    assert.match(csp, /connect-src 'none'/);
  });

  it('builds the panel page: one script with the nonce, the stylesheet from the extension, escaped title', () => {
    const nonce = makeNonce();
    const html = buildPanelHtml({ nonce, cspSource: 'vscode-src:', scriptUri: 'vscode-src:/dist/webview.js', styleUri: 'vscode-src:/media/webview.css', title: 'a <b> & "c"' });
    assert.ok(cspOf(html).includes(`'nonce-${nonce}'`));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${escapeHtml(nonce)}" src="vscode-src:/dist/webview.js">`]);
    assert.ok(html.includes('<title>a &#60;b&#62; &#38; &#34;c&#34;</title>'));
    assert.doesNotMatch(html, /\son\w+=/i, 'no inline event handlers');
  });

  it('embeds the Report in a snapshot so that no log line can end the script element', () => {
    const report = syntheticReport({ seed: 9, episodes: 1, streamsPerEpisode: 2, events: 40 });
    report.events[0]!.message = `</script><script>alert(1)</script>${HOSTILE_MESSAGE}\u2028`;
    const nonce = makeNonce();
    const html = buildSnapshotHtml({ nonce, script: 'console.log("</script>")', style: 'body{}', report, title: 'snap' });
    const data = /<script type="application\/json" id="incident-lens-report">([^<]*)<\/script>/.exec(html);
    assert.ok(data, 'the JSON element closes where it should');
    assert.deepEqual(JSON.parse(data[1]!), report);
    // Exactly two script elements: the data and the nonce-tagged bundle, whose own "</script" was escaped.
    assert.equal([...html.matchAll(/<script\b/g)].length, 2);
    assert.ok(html.includes(`<script nonce="${escapeHtml(nonce)}">`));
    assert.ok(!cspOf(html).includes('vscode'), 'the snapshot loads nothing from outside');
    assert.equal(jsonForScriptElement('<&>'), '"\\u003c\\u0026\\u003e"');
  });
});
