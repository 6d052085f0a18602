/**
 * Real loops between real routers (the lab: FRR/BIRD routers in network namespaces, GoBGP restarted under
 * load), checked against each scenario's truth.json, which the lab computed with tshark independently of src/.
 * Every truth loop must be found once, with the exact TTL step and start/end within 10 ms of its first/last
 * replica; no other episode may be reported (the "quiet" scenario has none at all).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';

const LAB = join(__dirname, '..', 'fixtures', 'lab');
const TOLERANCE_US = 10_000;

interface TruthLoop {
  id: string;
  start: { timeUs: number };
  end: { timeUs: number };
  ttlStep: number;
  loopedPackets: number;
  firstFrame: number;
  lastFrame: number;
}

interface Truth {
  loops: TruthLoop[];
  /** The access router's own `tcpdump -i any` (Linux cooked, every forwarded packet seen twice), when made. */
  accessAny?: { loops: TruthLoop[] };
}

/**
 * Folders holding a truth.json, and that scenario's captures (beside it or in input/): the core<->access link,
 * and the access router's `-i any` capture when there is one.
 */
function scenarios(): { name: string; truth: { loops: TruthLoop[] }; capture: string }[] {
  if (!existsSync(LAB)) return [];
  const out = [];
  for (const name of readdirSync(LAB).sort()) {
    const dir = join(LAB, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'truth.json'))) continue;
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    const candidates = [dir, join(dir, 'input')].flatMap((d) => (existsSync(d) ? readdirSync(d).map((f) => join(d, f)) : []));
    const capture = candidates.find((f) => /core-access\.(pcap|pcapng)$/.test(f));
    if (capture) out.push({ name, truth, capture });
    const anyCapture = candidates.find((f) => /access-any\.(pcap|pcapng)$/.test(f));
    if (anyCapture && truth.accessAny) out.push({ name: `${name} (access router, -i any)`, truth: truth.accessAny, capture: anyCapture });
  }
  // The README's sample holds the same frames as the frr scenario (pcapng instead of pcap): same truth.
  const sample = join(__dirname, '..', '..', 'media', 'samples', 'incident', 'core-access.pcapng');
  const frr = out.find((s) => s.name === 'frr');
  if (frr && existsSync(sample)) out.push({ name: 'README sample (media/samples/incident)', truth: frr.truth, capture: sample });
  return out;
}

describe('analyze: loops in real lab captures match the lab truth', () => {
  const found = scenarios();
  it('has lab scenarios to check', function () {
    if (found.length === 0) this.skip();
  });
  for (const s of found) {
    it(`${s.name}: every loop found once, exact TTL step, start/end within 10 ms (${s.truth.loops.length} in truth)`, async () => {
      const report = await analyze({ paths: [s.capture] });
      assert.deepEqual(report.inputs[0]!.problems, []);
      const got = report.loops.map((l) => ({ startUs: l.startUs, endUs: l.endUs, ttlStep: l.ttlStep, packets: l.loopedPackets }));
      assert.equal(report.loops.length, s.truth.loops.length, `episodes found: ${JSON.stringify(got)}`);
      s.truth.loops.forEach((t, i) => {
        const ep = report.loops[i]!;
        assert.equal(ep.ttlStep, t.ttlStep, `${t.id} TTL step`);
        assert.ok(Math.abs(ep.startUs - t.start.timeUs) <= TOLERANCE_US, `${t.id} start ${ep.start} vs truth ${t.start.timeUs}`);
        assert.ok(Math.abs(ep.endUs - t.end.timeUs) <= TOLERANCE_US, `${t.id} end ${ep.end} vs truth ${t.end.timeUs}`);
        assert.equal(ep.loopedPackets, t.loopedPackets, `${t.id} looped packets`);
        assert.deepEqual([ep.firstFrame, ep.lastFrame], [t.firstFrame, t.lastFrame], `${t.id} frames`);
      });
    });
  }
});
