import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

// Files that are not captures or logs, given to `analyze` by name: each gets a message naming the file and saying what is
// wrong, exit status 2, and never a hang (every run is bounded by spawnSync's timeout) or a stack trace.
const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const sample = join(root, 'media', 'samples', 'incident', 'core-access.pcapng');

function analyze(args: string[], opts: { uid?: number; gid?: number } = {}) {
  return spawnSync(process.execPath, [cli, 'analyze', ...args], { encoding: 'utf8', timeout: 30_000, ...opts });
}

describe('analyze on files that are not captures or logs', () => {
  let dir = '';
  before(function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=cli'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    dir = mkdtempSync(join(tmpdir(), 'il-hostile-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'picture.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]));
    // A minimal zip: one stored entry, as binary as a real archive.
    const body = deflateRawSync(Buffer.from('hello'));
    writeFileSync(join(dir, 'archive.zip'), Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(26), body, Buffer.from('504b0506', 'hex'), Buffer.alloc(18)]));
    writeFileSync(join(dir, 'empty.pcap'), '');
    mkdirSync(join(dir, 'empty-folder'));
    spawnSync('mkfifo', [join(dir, 'pipe.pcap')]);
    copyFileSync(sample, join(dir, 'secret.pcapng'));
    chmodSync(join(dir, 'secret.pcapng'), 0o000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, RegExp]> = [
    ['picture.png', /picture\.png.*(not a (pcap|capture)|neither)/i],
    ['archive.zip', /archive\.zip.*(not a (pcap|capture)|neither)/i],
    ['empty.pcap', /empty\.pcap.*(empty|0 bytes)/i],
    ['empty-folder', /empty-folder.*(no capture|no .*files|empty)/i],
    ['pipe.pcap', /pipe\.pcap.*not a regular file/i],
  ];
  for (const [name, message] of cases) {
    it(`${name}: names the file, says what is wrong, exits 2`, () => {
      const r = analyze([join(dir, name)]);
      assert.equal(r.error, undefined, `run failed: ${r.error}`);
      assert.equal(r.status, 2, `exit status for ${name}: ${r.status}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout + r.stderr, message);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    });
  }

  it('/dev/zero (endless, not a regular file) is refused at once, not read forever', () => {
    const r = analyze(['/dev/zero']);
    assert.equal(r.error, undefined, `run failed or timed out: ${r.error}`);
    assert.equal(r.status, 2);
    assert.match(r.stdout + r.stderr, /\/dev\/zero.*not a regular file/i);
  });

  it('a file without read permission says so (run as nobody: root reads anything)', function () {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() === 0) chownSync(join(dir, 'secret.pcapng'), 0, 0);
    const r = analyze([join(dir, 'secret.pcapng')], asNobody);
    assert.equal(r.error, undefined, `run failed: ${r.error}`);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /secret\.pcapng.*(permission|EACCES)/i);
  });

  it('good inputs beside bad ones are still analysed (the damage does not hide the loops)', () => {
    const r = analyze([join(dir, 'picture.png'), sample]);
    assert.equal(r.status, 2);
    assert.match(r.stdout, /routing loop episode/);
    assert.match(r.stdout + r.stderr, /picture\.png/);
  });
});
