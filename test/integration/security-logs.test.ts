/**
 * Logs that try to hang or confuse the reader: a user regex with catastrophic backtracking (through the events CLI
 * and through the real analysis worker), regex syntax the linear-time engine refuses, FIFOs, /dev/zero, empty
 * folders, and log files that shrink or grow while they are read. Every CLI run is bounded by spawnSync's timeout,
 * so a hang fails the test instead of stalling the suite.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogFile } from '../../src/core/logs/read';
import { AnalysisWorkerClient } from '../../src/worker/client';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** `^(a+)+$`-style: on 'aaaa…ab' a backtracking engine tries every split of the a's (2^40 here: hours). */
const EVIL_PATTERN = '^at=(?<time>\\S+) (?<msg>(a+)+)$';
const EVIL_LINE = `at=2026-11-25T08:35:40Z ${'a'.repeat(40)}b`;
const GOOD_LINE = 'at=2026-11-25T08:35:41Z aaaa';

function events(args: string[]) {
  return spawnSync(process.execPath, [cli, 'events', ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('security: hostile logs and user regexes', function () {
  this.timeout(60_000);
  let dir = '';
  before(function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=cli,worker'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    dir = mkdtempSync(join(tmpdir(), 'il-sec-logs-'));
    writeFileSync(join(dir, 'evil.log'), `${EVIL_LINE}\n${GOOD_LINE}\n${EVIL_LINE}\n`);
    mkdirSync(join(dir, 'empty-folder'));
    spawnSync('mkfifo', [join(dir, 'pipe.log')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('events --format-regex with catastrophic backtracking: finishes with the right answer (one event)', () => {
    const r = events(['--json', '--format-regex', EVIL_PATTERN, join(dir, 'evil.log')]);
    assert.equal(r.error, undefined, `hung or failed: ${r.error}`);
    assert.equal(r.status, 0, r.stderr);
    const found = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { time: string; message: string; source: { line: number; format: string } });
    assert.deepEqual(found.map((e) => [e.source.line, e.source.format, e.message]), [[2, 'custom-1', 'aaaa']]);
    assert.match(r.stderr, /evil\.log: custom-1, 3 lines, 1 events, 2 lines not events/);
  });

  it('the same pattern from settings, in the real analysis worker: the Report arrives with the event', async () => {
    const client = new AnalysisWorkerClient({ workerPath: join(root, 'dist', 'worker.js') });
    const job = client.analyze({ paths: [join(dir, 'evil.log')], customLogFormats: [{ name: 'evil', pattern: EVIL_PATTERN }] });
    // A hang would keep the worker busy forever: bound the wait, then cancel (terminates the thread) and fail.
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000).unref());
    const outcome = await Promise.race([job.result, timeout]);
    if (outcome === 'hung') await job.cancel();
    await client.dispose();
    if (outcome === 'hung') assert.fail('the worker did not answer within 20 s');
    assert.deepEqual(outcome.events.map((e) => [e.source.line, e.source.format]), [[2, 'evil']]);
  });

  it('regex syntax that needs backtracking (lookahead, backreference) is refused with the reason; built-in formats still read the file', async () => {
    const cliRun = events(['--format-regex', '^(?<time>\\S+) (?=a)(?<msg>.*)$', join(dir, 'evil.log')]);
    assert.equal(cliRun.error, undefined);
    assert.equal(cliRun.status, 1, 'a usage error, before reading anything');
    assert.match(cliRun.stderr, /--format-regex: .*no lookaround or backreferences/);
    const r = await readLogFile(join(dir, 'evil.log'), { customFormats: [{ name: 'backref', pattern: '^(?<time>\\S+) (a)\\1' }] });
    assert.ok(r.summary.problems.some((p) => /custom log format 'backref': .*no lookaround or backreferences.*; read without custom formats/.test(p.message)), JSON.stringify(r.summary.problems));
    assert.equal(r.summary.lines, 3, 'the file was still read');
  });

  for (const [name, target] of [['a FIFO', 'pipe.log'], ['/dev/zero', '/dev/zero']] as const) {
    it(`events on ${name} is refused at once (not a regular file), exit 2`, () => {
      const r = events([target.startsWith('/') ? target : join(dir, target)]);
      assert.equal(r.error, undefined, `hung: ${r.error}`);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot read: not a regular file \(a FIFO, socket or device\): not read/);
    });
  }

  it('events on an empty folder says so, exit 2', () => {
    const r = events([join(dir, 'empty-folder')]);
    assert.equal(r.error, undefined);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /empty-folder: empty folder: no log files in it/);
  });

  describe('a log that changes while it is read', () => {
    // 3 MiB of klog lines: progress is reported every MiB, which is where the test changes the file.
    const line = (i: number): string => `I1125 08:35:${String(i % 60).padStart(2, '0')}.000000    1187 prober.go:107] "Probe failed" pod="kube-system/kube-router-x7k2p" n=${i}\n`;
    let text = '';
    before(() => {
      const lines: string[] = [];
      for (let i = 0, n = 0; n < 3 * 1024 * 1024; i++) {
        lines.push(line(i));
        n += lines[i]!.length;
      }
      text = lines.join('');
    });

    it('shrinks: lines before the cut are read, then "file shrank while reading" with the byte where it ended', async () => {
      const path = join(dir, 'shrinking.log');
      writeFileSync(path, text);
      const cut = text.lastIndexOf('\n', Math.floor(text.length * 0.8)) + 1;
      let truncated = false;
      const r = await readLogFile(path, {
        onProgress: () => {
          if (!truncated) truncateSync(path, cut);
          truncated = true;
        },
      });
      assert.ok(truncated);
      const linesBeforeCut = text.slice(0, cut).split('\n').length - 1;
      assert.equal(r.summary.lines, linesBeforeCut);
      const shrank = r.summary.problems.find((p) => /shrank while reading/.test(p.message));
      assert.ok(shrank, JSON.stringify(r.summary.problems));
      assert.equal(shrank.message, `file shrank while reading: it was ${text.length} bytes when opened but ends at byte ${cut}`);
      assert.equal(shrank.severity, 'warning');
    });

    it('grows: read up to the size it had when opened (a snapshot), nothing half-read', async () => {
      const path = join(dir, 'growing.log');
      writeFileSync(path, text);
      const whole = await readLogFile(path);
      let appended = false;
      const r = await readLogFile(path, {
        onProgress: () => {
          if (!appended) appendFileSync(path, text.slice(0, 100_000));
          appended = true;
        },
      });
      assert.ok(appended);
      assert.equal(r.summary.lines, whole.summary.lines);
      assert.equal(r.events.length, whole.events.length);
      assert.deepEqual(r.summary.problems, whole.summary.problems);
      assert.ok(readFileSync(path).length > text.length, 'the file did grow');
    });
  });
});
