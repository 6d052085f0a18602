/**
 * The chain on real data: the lab's captures and logs (FRR/BIRD routers in network namespaces, GoBGP restarted
 * under load; see test/fixtures/lab/README.md), run through `analyze` over the scenario's folder, checked against
 * its truth.json, which the lab computed from the driver's record, the routers' logs, tshark and the client's
 * log, independently of src/. Every restart must yield restart -> peer down -> loop -> timeouts with each instant
 * and lag within 50 ms of the truth, the pattern must be significant, CPU throttling must not be supported, and
 * the scenario without restarts must give no chain.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Chain, ChainStepKind, Report } from '../../src/core/model/index';

const ROOT = join(__dirname, '..', '..');
const LAB = join(ROOT, 'test', 'fixtures', 'lab');
const TOLERANCE_MS = 50;

interface At {
  timeUs: number;
  time: string;
}
interface Truth {
  scenario: string;
  parameters: { fibDelayMs: number | null };
  restarts: {
    n: number;
    signal: string;
    kill: At;
    loop: string | null;
    loopStartAfterKillMs: number | null;
    outageStartAfterKillMs: number | null;
  }[];
  peerDowns: At[];
  loops: { id: string; start: At; end: At }[];
}

/** Each scenario's input folder and truth; the frr scenario's inputs are the README's sample. */
function scenario(name: string): { dir: string; truth: Truth } | null {
  const dir = name === 'frr' ? join(ROOT, 'media', 'samples', 'incident') : join(LAB, name, 'input');
  const truthFile = join(LAB, name, 'truth.json');
  if (!existsSync(dir) || !existsSync(truthFile)) return null;
  return { dir, truth: JSON.parse(readFileSync(truthFile, 'utf8')) as Truth };
}

function stepUs(c: Chain, kind: ChainStepKind): number {
  const s = c.steps.find((x) => x.kind === kind);
  assert.ok(s, `${c.id} has no ${kind} step: ${c.steps.map((x) => x.kind).join(', ')}\n${c.summary}`);
  return s.timeUs;
}

function near(what: string, gotUs: number, wantUs: number): void {
  const offMs = (gotUs - wantUs) / 1000;
  assert.ok(Math.abs(offMs) <= TOLERANCE_MS, `${what}: ${offMs.toFixed(1)} ms from the truth`);
}

/**
 * Every truth restart has its chain: instants, order and lags within 50 ms of the truth. A restart the truth
 * saw no loop after (fast FIB: natural loops come only sometimes) must have no loop step either.
 */
function checkChains(report: Report, truth: Truth): void {
  assert.equal(report.chains.length, truth.restarts.length, report.chains.map((c) => c.summary).join('\n'));
  truth.restarts.forEach((r, i) => {
    const c = report.chains[i]!;
    const label = `restart ${r.n} (${r.signal}) ${c.id}`;
    const pd = truth.peerDowns.find((p) => p.timeUs >= r.kill.timeUs)!;
    const restartUs = stepUs(c, 'restart');
    const downUs = stepUs(c, 'peer-down');
    near(`${label} restart`, restartUs, r.kill.timeUs);
    near(`${label} peer down`, downUs, pd.timeUs);
    near(`${label} lag restart -> peer down`, downUs - restartUs, pd.timeUs - r.kill.timeUs);
    assert.ok(restartUs <= downUs, `${label}: restart before peer down`);
    const kinds = c.steps.map((x) => x.kind);
    assert.ok(kinds.indexOf('restart') < kinds.indexOf('peer-down'), kinds.join());

    const loop = truth.loops.find((l) => l.id === r.loop);
    if (!loop) assert.ok(!kinds.includes('loop'), `${label}: no loop in the truth, none in the chain: ${c.summary}`);
    else {
      const loopUs = stepUs(c, 'loop');
      near(`${label} loop start`, loopUs, loop.start.timeUs);
      near(`${label} loop end`, stepUs(c, 'loop-end'), loop.end.timeUs);
      near(`${label} lag peer down -> loop`, loopUs - downUs, loop.start.timeUs - pd.timeUs);
      assert.ok(downUs <= loopUs && kinds.indexOf('peer-down') < kinds.indexOf('loop'), `${label}: peer down before loop`);
    }
    if (r.outageStartAfterKillMs !== null) {
      const outageUs = r.kill.timeUs + r.outageStartAfterKillMs * 1000;
      const timeoutsUs = stepUs(c, 'timeouts');
      near(`${label} first failed request`, timeoutsUs, outageUs);
      if (loop) near(`${label} lag loop -> timeouts`, timeoutsUs - stepUs(c, 'loop'), outageUs - loop.start.timeUs);
    }
  });
}

describe('correlate: the chain in real lab runs (analyze over each scenario folder, against truth.json)', function () {
  this.timeout(120_000);
  const reports = new Map<string, Report>();
  async function reportOf(name: string): Promise<{ report: Report; truth: Truth }> {
    const s = scenario(name);
    assert.ok(s, `lab scenario ${name} is committed`);
    if (!reports.has(name)) reports.set(name, await analyze({ paths: [s.dir] }));
    return { report: reports.get(name)!, truth: s.truth };
  }

  for (const name of ['frr', 'bird', 'cpu-throttle']) {
    it(`${name}: every restart -> peer down -> loop -> timeouts, within 50 ms of the truth`, async () => {
      const { report, truth } = await reportOf(name);
      checkChains(report, truth);
    });
    it(`${name}: one significant pattern; the routing loop explains the timeouts; CPU throttling does not`, async () => {
      const { report, truth } = await reportOf(name);
      assert.equal(report.patterns.length, 1, report.patterns.map((p) => p.summary).join('\n'));
      const p = report.patterns[0]!;
      assert.equal(p.occurrences, truth.restarts.length);
      assert.equal(p.sameOrder, true);
      assert.equal(p.significant, true, p.summary);
      const verdict = (id: string) => report.hypotheses.find((h) => h.id === id)!;
      assert.equal(verdict('routing-loop-after-bgp-loss').verdict, 'supported', verdict('routing-loop-after-bgp-loss').reasoning);
      assert.notEqual(verdict('cpu-throttling').verdict, 'supported', verdict('cpu-throttling').reasoning);
    });
  }

  it("frr with only the routers' and the daemon's own logs (no kubelet, no kubectl): still every chain within 50 ms", async () => {
    const s = scenario('frr')!;
    const files = ['core-access.pcapng', 'access-bgpd.log', 'core-bgpd.log', 'node-gobgpd.log', 'client-app.log'].map((f) => join(s.dir, f));
    const report = await analyze({ paths: files });
    assert.ok(!report.events.some((e) => e.kind === 'container-restart'), 'no Kubernetes lines in this run');
    checkChains(report, s.truth);
  });

  it("frr seen from the client's link only: the chain without its loop, and the loop not ruled out", async () => {
    const s = scenario('frr')!;
    const logs = ['access-bgpd.log', 'core-bgpd.log', 'node-gobgpd.log', 'kubelet.log', 'events.json', 'client-app.log'].map((f) => join(s.dir, f));
    const report = await analyze({ paths: [join(LAB, 'frr', 'client.pcapng'), ...logs] });
    assert.equal(report.loops.length, 0, 'no loop crosses the client link');
    const noLoops: Truth = { ...s.truth, restarts: s.truth.restarts.map((r) => ({ ...r, loop: null })) };
    checkChains(report, noLoops);
    const verdict = (id: string) => report.hypotheses.find((h) => h.id === id)!;
    assert.equal(verdict('routing-loop-after-bgp-loss').verdict, 'inconclusive', verdict('routing-loop-after-bgp-loss').reasoning);
    assert.notEqual(verdict('packet-loss-without-loop').verdict, 'supported', verdict('packet-loss-without-loop').reasoning);
  });

  it('cpu-throttle: the throttling data is read, and judged not to rise in the timeout windows', async () => {
    const { report } = await reportOf('cpu-throttle');
    assert.ok(report.events.some((e) => e.kind === 'cpu-throttled'), 'cpu.stat samples read');
    const cpu = report.hypotheses.find((h) => h.id === 'cpu-throttling')!;
    assert.equal(cpu.verdict, 'rejected', cpu.reasoning);
  });

  it('fast-fib: the restarts still chain to the short natural loops, within 50 ms of the truth', async () => {
    const { report, truth } = await reportOf('fast-fib');
    checkChains(report, truth);
  });

  it('quiet (no restart): no chain, no pattern', async () => {
    const { report } = await reportOf('quiet');
    assert.ok(report.events.length > 0, 'the logs were read');
    assert.deepEqual(report.chains, []);
    assert.deepEqual(report.patterns, []);
  });
});
