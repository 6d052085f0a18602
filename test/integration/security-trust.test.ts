/**
 * Workspace trust: a workspace's settings may carry custom log formats (user regexes); in an untrusted workspace
 * only the user's own formats reach the core, and the host can say it ignored the workspace's. Checked on the host's
 * real settings code (src/host/settings.ts) against a stand-in `vscode` module (securityTrustProbe.ts). Also: the
 * extension and worker never start a process or evaluate code, so nothing from a workspace can be executed.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const USER = [{ name: 'mine', pattern: '^(?<time>\\S+) (?<msg>.*)$' }];
const WORKSPACE = [{ name: 'theirs', pattern: '^(?<time>\\S+) (a+)+$' }];

function probe(scenario: { trusted: boolean; user: unknown[]; workspace: unknown[]; folder: unknown[] }): { customLogFormats: unknown[]; ignored: boolean } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'securityTrustProbe.ts'), JSON.stringify(scenario)], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { customLogFormats: unknown[]; ignored: boolean };
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('security: workspace trust', function () {
  this.timeout(60_000);

  it('untrusted: the workspace\'s and folder\'s regexes are ignored, the user\'s own are kept, and the host knows it ignored some', () => {
    const r = probe({ trusted: false, user: USER, workspace: WORKSPACE, folder: WORKSPACE });
    assert.deepEqual(r.customLogFormats, USER);
    assert.equal(r.ignored, true);
  });

  it('trusted: the most specific layer applies as usual, nothing is reported as ignored', () => {
    const r = probe({ trusted: true, user: USER, workspace: WORKSPACE, folder: [] });
    assert.deepEqual(r.customLogFormats, WORKSPACE);
    assert.equal(r.ignored, false);
  });

  it('the extension host, the worker and the core start no process and evaluate no code', () => {
    const offenders: string[] = [];
    for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'webview'))]) {
      const text = readFileSync(file, 'utf8');
      for (const [what, re] of [
        ['child_process', /['"](node:)?child_process['"]/],
        ['eval', /\beval\s*\(/],
        ['new Function', /\bnew Function\s*\(/],
        ['vm module', /['"](node:)?vm['"]/],
        ['task/terminal API', /\b(tasks\.executeTask|createTerminal)\b/],
      ] as const) {
        if (re.test(text)) offenders.push(`${file.slice(root.length + 1)}: ${what}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the manifest declares the regex setting restricted in untrusted workspaces', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } } };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['incidentLens.customLogFormats']);
  });
});
