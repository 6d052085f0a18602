import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

describe('CLI bundle (as npx runs it)', () => {
  before(function () {
    // The bundle is built by `npm ci` (prepare); rebuild here so a test run after an edit sees current sources.
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=cli'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(cli));
  });
  it('prints usage with every command on --help and exits 0', () => {
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: incident-lens <command>/);
    assert.match(r.stdout, /packets/);
  });
  it('rejects an unknown command with status 1 and names it', () => {
    const r = spawnSync(process.execPath, [cli, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
