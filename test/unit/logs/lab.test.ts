/**
 * The lab's real logs (test/fixtures/lab, media/samples/incident: FRR, BIRD 2, gobgpd, kubelet-style, cpu.stat,
 * a client) against its truth.json, which lab/truth.ts computed without this code.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readLogFile } from '../../../src/core/logs/read';
import type { LogEvent } from '../../../src/core/model/events';

const root = join(__dirname, '..', '..', '..');
const lab = join(root, 'test', 'fixtures', 'lab');

interface Instant { timeUs: number }
interface Truth {
  restarts: { start: Instant; kill: Instant }[];
  peerDowns: { timeUs: number; file: string; line: number; peer: string }[];
  outages: { start: Instant; end: Instant; timeouts: number; errors: number }[];
  cpuBursts?: { start: Instant; end: Instant }[];
}

const scenarios = [
  { name: 'frr', input: join(root, 'media', 'samples', 'incident') },
  ...['bird', 'cpu-throttle', 'fast-fib', 'quiet'].map((name) => ({ name, input: join(lab, name, 'input') })),
].filter((s) => existsSync(join(lab, s.name, 'truth.json')) && existsSync(s.input));

async function readAll(dir: string): Promise<Map<string, LogEvent[]>> {
  const out = new Map<string, LogEvent[]>();
  for (const f of readdirSync(dir)) {
    if (/\.(pcap|pcapng)$/.test(f)) continue;
    const r = await readLogFile(join(dir, f));
    assert.deepEqual(r.summary.problems, [], `${f}: ${JSON.stringify(r.summary.problems)}`);
    out.set(f, r.events);
  }
  return out;
}

describe('logs: the lab\'s real logs against its truth', () => {
  for (const s of scenarios) {
    describe(s.name, () => {
      const truth: Truth = JSON.parse(readFileSync(join(lab, s.name, 'truth.json'), 'utf8'));
      let events: Map<string, LogEvent[]>;
      before(async () => {
        events = await readAll(s.input);
      });

      it('every peer-down the access router logged is a bgp-peer-down at that line and instant', () => {
        for (const p of truth.peerDowns) {
          const found = (events.get(p.file) ?? []).filter((e) => e.kind === 'bgp-peer-down' && e.source.line === p.line);
          assert.equal(found.length, 1, `${p.file}:${p.line}`);
          assert.equal(found[0].timeUs, p.timeUs);
        }
        // Nothing else went down on the access router but the node's session, except the core session at the lab's
        // teardown (FRR names it 10.0.12.1(core), BIRD by its protocol name 'core').
        const files = new Set(truth.peerDowns.map((p) => p.file));
        const core = (e: LogEvent) => e.peer === '10.0.12.1' || e.peerName === 'core';
        const downs = [...events.entries()].filter(([f]) => files.has(f)).flatMap(([, l]) => l).filter((e) => e.kind === 'bgp-peer-down' && !core(e));
        assert.equal(downs.length, truth.peerDowns.length);
      });

      it('every failed request of an outage is a request-timeout or request-failed event inside it', () => {
        const client = (events.get('client-app.log') ?? []).filter((e) => e.kind === 'request-timeout' || e.kind === 'request-failed');
        let inside = 0;
        for (const o of truth.outages) {
          // An outage runs from the first failed request's sending to the last failure: events are logged at the failure.
          const inOutage = client.filter((e) => e.timeUs - (e.latencyMs ?? 0) * 1000 >= o.start.timeUs - 1 && e.timeUs <= o.end.timeUs + 1);
          assert.equal(inOutage.length, o.timeouts + o.errors, `outage at ${o.start.timeUs}`);
          inside += inOutage.length;
        }
        assert.equal(client.length, inside, 'no failed request outside an outage');
      });

      it('gobgpd logs a start after every kill, before the driver saw it up (times in whole seconds)', () => {
        const starts = (events.get('node-gobgpd.log') ?? []).filter((e) => e.kind === 'process-restart' && e.toState === 'started');
        for (const r of truth.restarts) {
          assert.ok(starts.some((e) => e.timeUs >= r.kill.timeUs - 1_000_000 && e.timeUs <= r.start.timeUs), `restart killed at ${r.kill.timeUs}`);
        }
        assert.equal(starts.length, truth.restarts.length + 1, 'the first start and one per restart');
      });

      if (s.name === 'cpu-throttle') {
        it('cpu.stat: throttling rises only in the CPU bursts; the other intervals are samples with 0', () => {
          const samples = events.get('pod-cpu-stat.log') ?? [];
          assert.ok(samples.length > 30);
          const inBurst = (e: LogEvent) => (truth.cpuBursts ?? []).some((b) => e.timeUs > b.start.timeUs && e.timeUs - (e.intervalMs ?? 0) * 1000 < b.end.timeUs);
          const throttled = samples.filter((e) => (e.throttledPeriods ?? 0) > 0);
          assert.ok(throttled.length > 0);
          // Outside the bursts only the pod's own start-up (the first interval of the file) was throttled.
          const startup = (e: LogEvent) => e === samples[0];
          assert.ok(throttled.every((e) => inBurst(e) || startup(e)), JSON.stringify(throttled.filter((e) => !inBurst(e)).map((e) => e.time)));
          assert.ok(samples.filter((e) => !inBurst(e) && !startup(e)).every((e) => e.throttledPeriods === 0));
          for (const b of truth.cpuBursts ?? []) assert.ok(throttled.some((e) => e.timeUs > b.start.timeUs && e.timeUs < b.end.timeUs + 1_500_000));
        });
      }
    });
  }
});
