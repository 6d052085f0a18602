/**
 * The analysis worker as the extension runs it: the bundled dist/worker.js with the real core, on real
 * captures (a synthetic capture with loop episodes from bench/generateCapture, and damaged files from the
 * conformance corpus). Measures what the issue promises (cancel within 100 ms) and prints it; timings are
 * reported, not asserted.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCapture } from '../../bench/generateCapture';
import { analyze } from '../../src/core/analyze';
import { readCaptureFile } from '../../src/core/capture/open';
import type { AnalyzeProgress, Report } from '../../src/core/model';
import { AnalysisCancelledError, AnalysisWorkerClient } from '../../src/worker/client';
import { rootNodes } from '../../src/host/resultsTreeModel';
import { annotationsFor, buildAnnotations } from '../../src/host/annotationModel';
import { AnalysisRegistry } from '../../src/host/analysisRegistry';
import { CORPUS_DIR, skipWithoutCorpus } from '../helpers/corpus';

const root = join(__dirname, '..', '..');
const workerPath = join(root, 'dist', 'worker.js');

/** generatedAt differs between two runs, and only the bundle has the release version; everything else must not. */
function comparable(r: Report): Omit<Report, 'generatedAt' | 'tool'> {
  const { generatedAt: _at, tool: _tool, ...rest } = r;
  return rest;
}

describe('analysis worker (dist/worker.js + core)', function () {
  this.timeout(120_000);
  let dir: string;
  let small: string;
  let large: string;
  const lines: string[] = [];
  let client: AnalysisWorkerClient;

  before(() => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=worker'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    dir = mkdtempSync(join(tmpdir(), 'il-worker-'));
    small = generateCapture(join(dir, 'small.pcapng'), 'pcapng', 60e6, 11).path; // ~2.4 s of traffic: the first loop starts at 1 s
    large = generateCapture(join(dir, 'large.pcap'), 'pcap', 120e6, 12).path;
    client = new AnalysisWorkerClient({ workerPath, resourceLimits: { maxOldGenerationSizeMb: 1024 }, log: (l) => lines.push(l) });
  });
  after(async () => {
    await client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the same Report as the core called in-process, with progress up to the file size', async () => {
    const progress: AnalyzeProgress[] = [];
    const t0 = performance.now();
    const viaWorker = await client.analyze({ paths: [small] }, { onProgress: (p) => progress.push(p) }).result;
    const workerMs = performance.now() - t0;
    const direct = await analyze({ paths: [small] });
    console.log(`      60 MB capture: worker round trip ${workerMs.toFixed(0)} ms, ${progress.length} progress messages`);
    assert.deepEqual(comparable(viaWorker), comparable(direct));
    // The worker's capture is large enough for a second-stage thread (dist/coreWorker.js, started from inside the
    // worker); one thread must give the same.
    assert.deepEqual(comparable(await analyze({ paths: [small], singleThread: true })), comparable(direct));
    assert.ok(viaWorker.loops.length > 0, 'the synthetic capture has loop episodes');
    const captures = progress.filter((p) => p.phase === 'captures');
    assert.ok(captures.length > 0);
    for (let i = 1; i < captures.length; i++) assert.ok(captures[i]!.bytesDone >= captures[i - 1]!.bytesDone, 'progress never goes back');
    assert.equal(captures.at(-1)!.bytesTotal, statSync(small).size);
    // The host's tree shows what the worker found.
    const reg = new AnalysisRegistry();
    const { entry } = reg.begin([small]);
    reg.finish(entry.id, { report: viaWorker });
    const loops = rootNodes(reg.list())[0]!.children!().find((g) => g.label === 'Loop episodes');
    assert.equal(loops?.description, String(viaWorker.loops.length));
  });

  it('cancels a running analysis: the job ends as cancelled and its thread is gone (time printed)', async () => {
    const size = statSync(large).size;
    let cancelAt = 0;
    let resolveCancel!: (ms: number) => void;
    const cancelled = new Promise<number>((r) => (resolveCancel = r));
    const job = client.analyze({ paths: [large] }, {
      onProgress: (p) => {
        if (cancelAt || p.bytesDone < size / 10) return;
        cancelAt = performance.now();
        void job.cancel().then(() => resolveCancel(performance.now() - cancelAt));
      },
    });
    let rejectedAfter = -1;
    await job.result.catch((err) => {
      rejectedAfter = performance.now() - cancelAt;
      assert.ok(err instanceof AnalysisCancelledError, String(err));
    });
    const threadGoneMs = await cancelled;
    const terminated = lines.some((l) => l.startsWith(`job ${job.id}:`) && l.includes('terminating'));
    console.log(
      `      cancel at ${Math.round(size / 1e6 / 10)}+ MB of ${Math.round(size / 1e6)} MB: result settled after ${rejectedAfter.toFixed(1)} ms, thread gone after ${threadGoneMs.toFixed(1)} ms (${terminated ? 'terminated after the grace period' : 'the core stopped by itself'})`,
    );
    assert.ok(rejectedAfter >= 0);
    assert.equal(client.running, 0);
  });

  it('keeps working after a cancel, and a damaged capture becomes a problem with its byte offset, not a failure', function () {
    skipWithoutCorpus(this);
    const damaged = join(CORPUS_DIR, 'derived', 'pcap-bogus-incl-len.pcap');
    return client.analyze({ paths: [damaged] }).result.then((report) => {
      const input = report.inputs[0]!;
      assert.equal(input.kind, 'capture');
      assert.ok(input.problems.length > 0, 'the bogus length is reported');
      // Record 6's header starts at byte 732; its incl_len field (at 740) was overwritten with 0x7fffffff.
      assert.ok(input.problems.some((p) => p.byteOffset === 732 && p.fatal), JSON.stringify(input.problems));
      assert.ok(input.kind === 'capture' && input.packets === 5, `records before the damage are kept (got ${input.kind === 'capture' ? input.packets : '?'})`);
    });
  });

  it('summarises a capture for the capture editor in the worker, as the reader does in-process', async function () {
    skipWithoutCorpus(this);
    const file = join(CORPUS_DIR, 'derived', 'pcap-cut-mid-record-data.pcap');
    const viaWorker = await client.summarizeCapture(file).result;
    const direct = await readCaptureFile(file, () => undefined);
    assert.deepEqual(viaWorker, direct);
    assert.equal(viaWorker.packets, 4);
    assert.ok(viaWorker.problems.some((p) => p.fatal), 'the cut record is a fatal problem with its offset');
  });

  it('annotates every event line of the bundled sample, and starts each chain\'s CodeLens at its first log line', async () => {
    const sample = join(root, 'media', 'samples', 'incident');
    const report = await client.analyze({ paths: [sample] }).result;
    assert.ok(report.events.length > 0 && report.chains.length > 0, `sample: ${report.events.length} events, ${report.chains.length} chains`);
    const index = buildAnnotations(report, 'analysis-1');
    for (const ev of report.events) {
      const line = annotationsFor(index, ev.source.file).find((a) => a.line === ev.source.line);
      assert.ok(line?.eventIds.includes(ev.id), `${ev.id} (${ev.source.file}:${ev.source.line}) is not annotated`);
    }
    const peerDowns = report.events.filter((e) => e.kind === 'bgp-peer-down');
    assert.ok(peerDowns.length > 0, 'the sample has BGP peer-down lines');
    for (const ev of peerDowns) {
      const a = annotationsFor(index, ev.source.file).find((x) => x.line === ev.source.line)!;
      assert.match(a.afterText, /BGP peer down/, `${ev.source.file}:${ev.source.line}`);
    }
    for (const chain of report.chains) {
      const first = chain.steps.flatMap((s) => s.evidence).find((e) => e.kind === 'log');
      if (!first || first.kind !== 'log') continue;
      const ev = report.events.find((e) => e.id === first.eventId);
      const a = annotationsFor(index, ev?.source.file ?? first.file).find((x) => x.line === (ev?.source.line ?? first.line));
      assert.ok(a?.chainStarts.includes(chain.id), `no CodeLens for ${chain.id}`);
    }
  });

  it('passes the loop-detection settings through to the detector (a long episode gap merges the sample\'s two loops)', async () => {
    const capture = join(root, 'media', 'samples', 'incident', 'core-access.pcapng');
    const byDefault = await client.analyze({ paths: [capture] }).result;
    const merged = await client.analyze({ paths: [capture], loopDetection: { episodeGapMs: 60_000 } }).result;
    assert.ok(byDefault.loops.length >= 2, `sample loops: ${byDefault.loops.length}`);
    assert.equal(merged.loops.length, 1);
  });

  it('reports a missing file as an input problem naming the file', async () => {
    const missing = join(dir, 'no-such.pcapng');
    const report = await client.analyze({ paths: [missing] }).result;
    const text = JSON.stringify(report.inputs);
    assert.ok(text.includes(missing), text);
  });
});
