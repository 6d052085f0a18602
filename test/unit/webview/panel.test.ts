/**
 * The Report panel's message routing (src/host/panel.ts) against a recording stand-in for the `vscode` module:
 * mocha has no VS Code, and what is checked here is the panel's own logic (handshake, validation before acting,
 * exports), not VS Code's. The stand-in implements only what the panel calls and records every call.
 */
import assert from 'node:assert/strict';
import Module from 'node:module';
import { syntheticReport } from '../../browser/syntheticReport';

interface Call {
  fn: string;
  args: unknown[];
}

const calls: Call[] = [];
const record = (fn: string) => (...args: unknown[]) => {
  calls.push({ fn, args });
  return undefined;
};

class FakeUri {
  constructor(readonly fsPath: string) {}
  static file(p: string): FakeUri {
    return new FakeUri(p);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri([base.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `fake-webview:${this.fsPath}`;
  }
}

class FakeEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return { dispose: () => undefined };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
}

let receive: (m: unknown) => void = () => undefined;
const posted: unknown[] = [];
let html = '';
const existing = new Set<string>(['/ws/logs/access/frr.log']);
const written = new Map<string, Uint8Array>();

const fakePanel = {
  title: 'Incident Lens: timeline',
  webview: {
    cspSource: 'fake-webview:',
    options: {},
    set html(v: string) {
      html = v;
    },
    get html() {
      return html;
    },
    asWebviewUri: (u: FakeUri) => u,
    onDidReceiveMessage: (l: (m: unknown) => void) => {
      receive = l;
      return { dispose: () => undefined };
    },
    postMessage: async (m: unknown) => {
      posted.push(m);
      return true;
    },
  },
  iconPath: undefined as unknown,
  reveal: record('reveal'),
  onDidDispose: () => ({ dispose: () => undefined }),
  dispose: record('panel.dispose'),
};

const fakeVscode = {
  Uri: FakeUri,
  EventEmitter: FakeEmitter,
  ViewColumn: { Active: -1, One: 1 },
  Position: class {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  },
  Range: class {
    constructor(
      readonly start: unknown,
      readonly end: unknown,
    ) {}
  },
  window: {
    createWebviewPanel: (...args: unknown[]) => {
      calls.push({ fn: 'createWebviewPanel', args });
      return fakePanel;
    },
    createOutputChannel: () => ({ info: record('log.info'), error: record('log.error'), show: () => undefined }),
    showTextDocument: async (...args: unknown[]) => record('showTextDocument')(...args),
    showErrorMessage: async (...args: unknown[]) => record('showErrorMessage')(...args),
    showSaveDialog: async () => FakeUri.file('/ws/out.json'),
  },
  workspace: {
    workspaceFolders: [{ uri: FakeUri.file('/ws') }],
    fs: {
      stat: async (u: FakeUri) => {
        if (!existing.has(u.fsPath)) throw new Error('ENOENT');
        return {};
      },
      writeFile: async (u: FakeUri, bytes: Uint8Array) => void written.set(u.fsPath, bytes),
      readFile: async () => new TextEncoder().encode('/* file */'),
    },
  },
};

// Route `require('vscode')` to the stand-in for the modules loaded below.
const M = Module as unknown as { _resolveFilename: (r: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode } as unknown as NodeJS.Module;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReportPanel } = require('../../../src/host/panel') as typeof import('../../../src/host/panel');
M._resolveFilename = resolve;
delete require.cache.vscode;

describe('Report panel (host side) message routing', () => {
  const report = syntheticReport({ seed: 5, episodes: 1, streamsPerEpisode: 3, events: 30 });
  const context = { extensionUri: FakeUri.file('/ext') } as never;
  const file = report.events[0]!.source.file;

  before(() => {
    existing.add(`/ws/${file}`);
    ReportPanel.show(context, report, { key: 'a1', focus: { startUs: 1, endUs: 2, episodeId: 'loop-1' } });
  });

  it('serves a page with a nonce CSP and the bundle from dist/, and posts nothing before the page is ready', () => {
    assert.match(html, /script-src &#39;nonce-[A-Za-z0-9+/=]+&#39;/);
    assert.ok(html.includes('src="fake-webview:/ext/dist/webview.js"'));
    assert.ok(html.includes('href="fake-webview:/ext/media/webview.css"'));
    assert.equal(posted.length, 0);
  });

  it("answers 'ready' with the Report (typed ladders) and the focus as view state", async () => {
    receive({ type: 'ready' });
    await new Promise((r) => setImmediate(r));
    const m = posted.at(-1) as { type: string; report: typeof report; state: Record<string, unknown> };
    assert.equal(m.type, 'report');
    assert.ok(m.report.loops[0]!.ladder.timeUs instanceof Float64Array);
    assert.deepEqual(m.state, { version: 1, reportKey: 'a1', selectionUs: [1, 2], viewUs: [1, 2], episodeId: 'loop-1' });
  });

  it('opens a Report file at the line asked for, and refuses any other file', async () => {
    calls.length = 0;
    receive({ type: 'open-location', file, line: 7 });
    await new Promise((r) => setTimeout(r, 5));
    const open = calls.find((c) => c.fn === 'showTextDocument')!;
    assert.equal((open.args[0] as FakeUri).fsPath, `/ws/${file}`);
    assert.equal((open.args[1] as { selection: { start: { line: number } } }).selection.start.line, 6);
    calls.length = 0;
    receive({ type: 'open-location', file: '/etc/passwd', line: 1 });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(calls.filter((c) => c.fn === 'showTextDocument').length, 0);
    assert.ok(calls.some((c) => c.fn === 'log.info' && String(c.args[0]).includes('not a file of this Report')));
  });

  it('reports the selection to listeners (the results tree)', () => {
    const seen: unknown[] = [];
    ReportPanel.onDidChangeSelection((e) => seen.push(e));
    receive({ type: 'selection', startUs: 10, endUs: 20 });
    receive({ type: 'selection-cleared' });
    receive({ type: 'selection', startUs: 20, endUs: 10 });
    assert.deepEqual(seen, [{ key: 'a1', startUs: 10, endUs: 20 }, { key: 'a1', cleared: true }]);
  });

  it('exports the Report as JSON where the user chose', async () => {
    receive({ type: 'export', format: 'json' });
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(JSON.parse(Buffer.from(written.get('/ws/out.json')!).toString('utf8')), JSON.parse(JSON.stringify(report)));
  });
});
