/**
 * A capture's ladder context and TCP impact measured in a second thread that follows the loop detector
 * (analyze/secondStage.ts) must give exactly what one thread gives: compared on every real capture with loops and TCP trouble we have (the
 * lab's scenarios, the bundled incident sample) and on corpus captures with TCP traffic.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeCapture, type CaptureRunResult } from '../../src/core/analyze/captureRun';
import { MessageChannel, Worker } from 'node:worker_threads';
import { KindProducer, createKindRing } from '../../src/core/analyze/kindRing';
import { OpProducer, createOpRing } from '../../src/core/analyze/opRing';
import { ThreadStage, secondStageFor } from '../../src/core/analyze/secondStage';
import type { LoopEpisode } from '../../src/core/model/loops';
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

async function run(path: string, threading: 'on' | 'off'): Promise<CaptureRunResult> {
  const cls = await classifyInput(path);
  assert.equal(cls.kind, 'capture', path);
  const format = cls.kind === 'capture' ? cls.format : '';
  return analyzeCapture(path, format, statSync(path).size, { stallThresholdMs: 200, secondThread: threading });
}

describe('ladder context and TCP impact in a second thread', () => {
  it('a second thread can be started from the sources (tests) as from the bundles', () => {
    const side = secondStageFor(captures()[0]!, 'pcapng', 1, 200, 'on');
    assert.equal(side.constructor.name, 'ThreadStage');
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
      loops += one.episodes.length;
      flows += one.impact.tcpFlows;
      stalls += one.impact.stalls.length;
      retransmissions += one.impact.retransmissions;
    }
    // The comparison means something only if there was something to measure.
    assert.ok(loops >= 5 && flows >= 100 && stalls >= 5 && retransmissions >= 5, JSON.stringify({ loops, flows, stalls, retransmissions }));
  });

  it('keeps one thread for a gzip capture (it would be inflated twice)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'il-impact-'));
    try {
      const src = join(LAB, 'keepalive', 'input', 'core-access.pcapng');
      const gz = join(dir, 'core-access.pcapng.gz');
      writeFileSync(gz, gzipSync(readFileSync(src)));
      const side = secondStageFor(gz, 'pcapng.gz', statSync(gz).size, 200, 'on');
      assert.equal(side.constructor.name, 'InThreadStage');
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

  it('a second thread that dies costs the impact and context, with a problem saying so, never the loops or a hang', async () => {
    const episodes = (await run(join(LAB, 'keepalive', 'input', 'core-access.pcapng'), 'off')).episodes;
    assert.ok(episodes.length > 0);
    const ring = createKindRing(1000);
    const producer = new KindProducer(ring, 1000);
    const stage = new ThreadStage(new Worker('process.exit(3)', { eval: true }), producer, new OpProducer(createOpRing()), new MessageChannel().port1);
    const buffer = stage.alloc(4096);
    stage.parsing(buffer, 0, 100, 0);
    assert.equal(stage.isFree(buffer), false, 'a buffer the thread has not parsed yet is not free');
    for (let i = 0; i < 9000; i++) producer.push(1);
    assert.equal(producer.hasRoom(), false);
    // The ring is full and nobody reads it: the reader's hook must still let it go on once the thread is dead.
    await stage.beforeRead();
    await stage.whenFree(buffer);
    const copy = structuredClone(episodes) as LoopEpisode[];
    const { impact, problems } = await stage.finish(copy);
    assert.equal(impact.tcpFlows, 0);
    assert.equal(impact.episodeFlows.length, episodes.length);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /TCP impact and ladder context not measured: their thread failed \(the thread stopped \(exit code 3\)\); the loops are complete/);
    assert.deepStrictEqual(copy.map((e) => e.startUs), episodes.map((e) => e.startUs));
  });
});
