/**
 * A capture's loops, ladder context and TCP impact tracked in a second thread from the records the decoding thread
 * writes (analyze/secondStage.ts) must give exactly what one thread gives: compared on every real capture with
 * loops and TCP trouble we have (the lab's scenarios, the bundled incident sample) and on corpus captures with TCP
 * traffic.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeCapture, type CaptureRunResult } from '../../src/core/analyze/captureRun';
import { Worker } from 'node:worker_threads';
import { FactConsumer, FactProducer, createFactRing } from '../../src/core/analyze/factRing';
import { ThreadStages, captureStagesFor } from '../../src/core/analyze/secondStage';
import { classifyInput } from '../../src/core/analyze/inputs';

const ROOT = join(__dirname, '..', '..');
const LAB = join(ROOT, 'test', 'fixtures', 'lab');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

function captures(): string[] {
  const out = readdirSync(LAB)
    .map((s) => join(LAB, s, 'input', 'core-access.pcapng'))
    .filter((p) => existsSync(p));
  out.push(join(ROOT, 'media', 'samples', 'incident', 'core-access.pcapng'));
  // Corpus captures with TCP: a stream at the sequence-number limit, malformed segments, TCP inside GRE in GRE.
  for (const rel of ['tcpdump/one_tcp_stream_max_seq.pcap', 'tcpdump/tcp-malformed.pcap', 'zeek/tunnels/gre-within-gre.pcap']) {
    const p = join(CORPUS, rel);
    if (existsSync(p)) out.push(p);
  }
  return out;
}

async function run(path: string, threading: 'on' | 'off', ringSlots?: number): Promise<CaptureRunResult> {
  const cls = await classifyInput(path);
  assert.equal(cls.kind, 'capture', path);
  const format = cls.kind === 'capture' ? cls.format : '';
  return analyzeCapture(path, format, statSync(path).size, { stallThresholdMs: 200, secondThread: threading, ...(ringSlots ? { ringSlots } : {}) });
}

const SETTINGS = { stallThresholdMs: 200, loopDetection: {} };

describe('loops, ladder context and TCP impact in a second thread', () => {
  it('a second thread can be started from the sources (tests) as from the bundles', () => {
    const side = captureStagesFor(captures()[0]!, 'pcapng', 1, SETTINGS, 'on');
    assert.equal(side.constructor.name, 'ThreadStages');
    side.dispose();
  });

  it('gives exactly the one-thread results on every real capture with loops or TCP trouble', async function () {
    this.timeout(120_000);
    let loops = 0;
    let flows = 0;
    let stalls = 0;
    let retransmissions = 0;
    for (const path of captures()) {
      const one = await run(path, 'off');
      const two = await run(path, 'on');
      assert.deepStrictEqual(two, one, path);
      // A ring of 1024 records fills inside every chunk of more frames: the decoding thread waits for room there.
      assert.deepStrictEqual(await run(path, 'on', 1024), one, `${path} (small ring)`);
      loops += one.episodes.length;
      flows += one.impact.tcpFlows;
      stalls += one.impact.stalls.length;
      retransmissions += one.impact.retransmissions;
    }
    // The comparison means something only if there was something to measure.
    assert.ok(loops >= 5 && flows >= 100 && stalls >= 5 && retransmissions >= 5, JSON.stringify({ loops, flows, stalls, retransmissions }));
  });

  it('passes the loop-detection settings to the second thread (a long episode gap merges the sample\'s two loops there too)', async () => {
    const path = join(ROOT, 'media', 'samples', 'incident', 'core-access.pcapng');
    const cls = await classifyInput(path);
    const format = cls.kind === 'capture' ? cls.format : '';
    const merged = (threading: 'on' | 'off') =>
      analyzeCapture(path, format, statSync(path).size, { stallThresholdMs: 200, secondThread: threading, loopDetection: { episodeGapMs: 600_000 } });
    const one = await merged('off');
    assert.equal(one.episodes.length, 1);
    assert.deepStrictEqual(await merged('on'), one);
  });

  it('keeps one thread for a gzip capture (it would be inflated twice)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'il-impact-'));
    try {
      const src = join(LAB, 'keepalive', 'input', 'core-access.pcapng');
      const gz = join(dir, 'core-access.pcapng.gz');
      writeFileSync(gz, gzipSync(readFileSync(src)));
      const side = captureStagesFor(gz, 'pcapng.gz', statSync(gz).size, SETTINGS, 'on');
      assert.equal(side.constructor.name, 'InThreadStages');
      const plain = join(dir, 'plain.pcapng');
      copyFileSync(src, plain);
      const a = await run(gz, 'on');
      const b = await run(plain, 'off');
      assert.deepStrictEqual(a.episodes.map((e) => ({ ...e, capture: '' })), b.episodes.map((e) => ({ ...e, capture: '' })));
      assert.equal(a.impact.tcpFlows, b.impact.tcpFlows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cancelled run rejects with AbortError and stops the second thread', async () => {
    const path = join(ROOT, 'media', 'samples', 'incident', 'core-access.pcapng');
    const ctl = new AbortController();
    ctl.abort();
    const cls = await classifyInput(path);
    await assert.rejects(
      analyzeCapture(path, cls.kind === 'capture' ? cls.format : '', statSync(path).size, { stallThresholdMs: 200, secondThread: 'on', signal: ctl.signal }),
      (e: Error) => e.name === 'AbortError',
    );
  });

  it('a second thread that dies costs time, never a finding: the capture is analysed again in one thread, with a warning', async () => {
    const path = join(LAB, 'keepalive', 'input', 'core-access.pcapng');
    const one = await run(path, 'off');
    assert.ok(one.episodes.length > 0 && one.impact.tcpFlows > 0);
    const progress: number[] = [];
    const again = await analyzeCapture(path, 'pcapng', statSync(path).size, {
      stallThresholdMs: 200, secondThread: 'on', startSecondStage: () => new Worker('process.exit(3)', { eval: true }),
      onBytes: (n) => progress.push(n),
    });
    // The second pass does not report its reading again: progress is that of one pass, never going back.
    const onePass: number[] = [];
    await analyzeCapture(path, 'pcapng', statSync(path).size, { stallThresholdMs: 200, secondThread: 'off', onBytes: (n) => onePass.push(n) });
    assert.ok(onePass.length > 0);
    assert.deepStrictEqual(progress, onePass);
    const [warning, ...rest] = again.summary.problems;
    assert.match(warning!.message, /^the analysis thread failed \(the thread stopped \(exit code 3\)\); the capture was analysed again in one thread$/);
    assert.equal(warning!.severity, 'warning');
    assert.deepStrictEqual({ ...again, summary: { ...again.summary, problems: rest } }, one);
  });

  it('the decoding thread never waits for a second thread that is gone, nor hangs on one that died', async () => {
    // A thread that exits before taking any record: the reader's hook lets it go on even with the ring full.
    const ring = createFactRing(1024);
    const producer = new FactProducer(ring);
    const stages = new ThreadStages(new Worker('process.exit(3)', { eval: true }), producer);
    for (let i = 0; i < 1024; i++) {
      assert.ok(producer.claim() >= 0);
      producer.commit();
    }
    assert.equal(producer.free(), 0);
    await stages.beforeRead();
    const outcome = await stages.finish();
    assert.deepStrictEqual(outcome, { ok: false, reason: 'the thread stopped (exit code 3)' });
    // A consumer that gives up marks the ring: a full ring then refuses at once instead of waiting.
    const ring2 = createFactRing(1024);
    const p2 = new FactProducer(ring2);
    const consumer = new FactConsumer(ring2);
    for (let i = 0; i < 1024; i++) {
      p2.claim();
      p2.commit();
    }
    assert.equal(consumer.slotOf(0), 0);
    consumer.gone();
    assert.equal(p2.consumerGone, true);
    assert.equal(p2.claim(), -1);
  });
});
