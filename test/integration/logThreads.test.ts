/**
 * Log files read in threads of their own (analyze/logThreads.ts) must give what readLogFile gives in this
 * thread, file by file and in file order, including the errors of files that cannot be read.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readLogFiles, type LogFileRequest } from '../../src/core/analyze/logThreads';
import { readLogFile } from '../../src/core/logs/read';

const ROOT = join(__dirname, '..', '..');

function logFiles(): LogFileRequest[] {
  const dirs = [join(ROOT, 'test', 'fixtures', 'logs', 'documented'), join(ROOT, 'test', 'fixtures', 'logs', 'real'), join(ROOT, 'test', 'fixtures', 'lab', 'bird', 'input')];
  const out: LogFileRequest[] = [];
  for (const d of dirs) {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (/\.pcapng?$/.test(name)) continue;
      // A zone and a year, so that the options are seen to cross to the threads.
      out.push({ path, sizeBytes: statSync(path).size, options: { timeZone: 'Europe/Berlin', year: 2025 } });
    }
  }
  return out;
}

describe('log files read in threads', () => {
  it('gives, file by file and in order, what readLogFile gives in this thread', async function () {
    this.timeout(60_000);
    const files = logFiles();
    files.splice(3, 0, { path: join(ROOT, 'test', 'fixtures', 'logs', 'no-such.log'), sizeBytes: 0, options: {} });
    const progress = new Set<number>();
    const threaded = await readLogFiles(files, { threads: 2, minBytes: 0, onProgress: (i) => progress.add(i) });
    assert.equal(threaded.length, files.length);
    let events = 0;
    for (const [i, f] of files.entries()) {
      const got = threaded[i]!;
      let want;
      try {
        want = { ok: true, result: await readLogFile(f.path, f.options) };
      } catch (e) {
        want = { ok: false, code: (e as NodeJS.ErrnoException).code };
      }
      if (want.ok) {
        assert.ok(got.ok, `${f.path}: ${got.ok ? '' : got.error.message}`);
        assert.deepStrictEqual(got.result, want.result, f.path);
        events += got.result.events.length;
      } else {
        assert.ok(!got.ok, f.path);
        assert.equal((got.error as NodeJS.ErrnoException).code, 'ENOENT');
      }
    }
    assert.ok(events > 50, `only ${events} events: the comparison would say little`);
  });

  it('a thread that dies mid-file: that file is reported with the reason, the lane reads the rest itself', async function () {
    this.timeout(60_000);
    const files = logFiles();
    // A lane's thread that takes the first file, reports some progress and exits, as a thread killed by its heap
    // limit would.
    const dying = (): Worker =>
      new Worker(
        "const { parentPort } = require('node:worker_threads');" +
          "parentPort.once('message', () => { parentPort.postMessage({ type: 'progress', bytes: 1 }); setTimeout(() => process.exit(7), 10); });",
        { eval: true },
      );
    const outcomes = await readLogFiles(files, { threads: 1, minBytes: 0, startThread: dying });
    // threads: 1 reads here without a thread: two lanes are needed for threads at all.
    assert.ok(outcomes.every((o) => o.ok));
    const two = await readLogFiles(files, { threads: 2, minBytes: 0, startThread: dying });
    assert.equal(two.length, files.length);
    const failed = two.flatMap((o, i) => (o.ok ? [] : [i]));
    assert.deepEqual(failed, [0, 1], 'each lane loses the file its thread was reading, no other');
    for (const i of failed) {
      const o = two[i]!;
      assert.ok(!o.ok && /its reading thread stopped \(exit code 7\)/.test(o.error.message), o.ok ? '' : o.error.message);
    }
    for (const [i, f] of files.entries()) {
      if (i < 2) continue;
      const o = two[i]!;
      assert.ok(o.ok, f.path);
      assert.deepStrictEqual(o.result, await readLogFile(f.path, f.options), f.path);
    }
  });

  it('a cancellation rejects with AbortError', async () => {
    const ctl = new AbortController();
    const run = readLogFiles(logFiles(), { threads: 2, minBytes: 0, signal: ctl.signal });
    ctl.abort();
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
  });
});
