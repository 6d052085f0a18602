import { strict as assert } from 'node:assert';
import { AnalysisRegistry } from '../../../src/host/analysisRegistry';
import { GROUP_LABELS, MAX_CHILDREN, rootNodes, type ResultNode } from '../../../src/host/resultsTreeModel';
import { CAPTURE, LOG_APP, LOG_GOBGP, LOG_KLOG, sampleReport } from './sampleReport';

function walk(nodes: ResultNode[], visit: (n: ResultNode, depth: number) => void, depth = 0): void {
  for (const n of nodes) {
    visit(n, depth);
    if (n.children) walk(n.children(), visit, depth + 1);
  }
}

function child(node: ResultNode, label: string): ResultNode {
  const found = node.children?.().find((c) => c.label === label);
  assert.ok(found, `no child "${label}" under "${node.label}" (has: ${node.children?.().map((c) => c.label).join(', ')})`);
  return found;
}

function doneRegistry(report = sampleReport()) {
  const reg = new AnalysisRegistry();
  const { entry } = reg.begin([CAPTURE, LOG_KLOG, LOG_GOBGP, LOG_APP]);
  reg.finish(entry.id, { report });
  return { reg, root: rootNodes(reg.list())[0]! };
}

describe('host: results tree model', () => {
  it('shows a finished analysis with its groups in reading order and counts in the description', () => {
    const { root } = doneRegistry();
    assert.equal(root.description, '1 loop · 1 chain · 4 events');
    assert.deepEqual(
      root.children!().map((g) => `${g.label} ${g.description}`),
      [`${GROUP_LABELS.hypotheses} 2`, `${GROUP_LABELS.chains} 1`, `${GROUP_LABELS.patterns} 1`, `${GROUP_LABELS.loops} 1`, `${GROUP_LABELS.events} 4`, `${GROUP_LABELS.problems} 2`, `${GROUP_LABELS.inputs} 4`],
    );
  });

  it('gives every row a unique id, so VS Code keeps expansion state and tests can address rows', () => {
    const { root } = doneRegistry();
    const ids = new Set<string>();
    let rows = 0;
    walk([root], (n) => {
      rows++;
      assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
      ids.add(n.id);
    });
    assert.ok(rows > 40, `expected the whole report in the tree, got ${rows} rows`);
  });

  it('lists chain steps with their lag from the previous step, and evidence that opens the log line', () => {
    const { root } = doneRegistry();
    const chain = child(child(root, 'Chains'), 'kube-router on node-3 (10.0.23.1)');
    assert.match(chain.description!, /^10:00:01\.000 · restart → BGP peer down → routing loop → client timeouts$/);
    const steps = chain.children!();
    assert.deepEqual(steps.map((s) => s.description), ['10:00:01.000', '+420 ms', '+100 ms', '+2.00 s']);
    assert.deepEqual(steps[1]!.action, { kind: 'open-log', file: LOG_GOBGP, line: 3 });
    const loopEvidence = steps[2]!.children!()[0]!;
    assert.deepEqual(loopEvidence.action, { kind: 'open-capture', file: CAPTURE, frame: 1200, loopId: 'loop-1' });
    assert.equal(loopEvidence.description, 'core-access.pcapng frames 1200–4100');
  });

  it('describes loop episodes and reveals them in the timeline', () => {
    const { root } = doneRegistry();
    const loop = child(root, 'Loop episodes').children!()[0]!;
    assert.equal(loop.label, 'loop-1 · 3.00 s · TTL step 2');
    assert.deepEqual(loop.focus, { kind: 'loop', loopId: 'loop-1' });
    assert.ok(loop.children!().some((d) => d.label === 'Direction' && d.description === '02:00:00:00:00:02 → 02:00:00:00:00:03 (3000)'));
  });

  it('places every input problem: byte offset for captures, line for logs, and whether reading stopped', () => {
    const { root } = doneRegistry();
    const problems = child(root, 'Problems').children!();
    assert.deepEqual(
      problems.map((p) => [p.description, p.icon, p.action]),
      [
        ['core-access.pcapng, byte 120,004 · reading stopped here', 'error', { kind: 'open-file', file: CAPTURE, byteOffset: 120004 }],
        ['gobgpd.log, line 4', 'warning', { kind: 'open-file', file: LOG_GOBGP, line: 4 }],
      ],
    );
  });

  it('groups events by kind and caps huge groups with a row that points to the timeline', () => {
    const report = sampleReport();
    const template = report.events[3]!;
    report.events = Array.from({ length: MAX_CHILDREN + 25 }, (_, i) => ({ ...template, id: `ev-${i + 1}`, source: { ...template.source, line: i + 1 } }));
    const { root } = doneRegistry(report);
    const timeouts = child(child(root, 'Events'), 'Request timeout');
    const rows = timeouts.children!();
    assert.equal(rows.length, MAX_CHILDREN + 1);
    assert.equal(rows.at(-1)!.label, '… 25 more');
    assert.equal(rows.at(-1)!.action?.kind, 'show-timeline');
  });

  it('shows running, failed and cancelled analyses without children that could fail', () => {
    const reg = new AnalysisRegistry();
    const a = reg.begin(['/c/a.log'], { now: 3 }).entry;
    const b = reg.begin(['/c/b.log'], { now: 2 }).entry;
    const c = reg.begin(['/c/c.log'], { now: 1 }).entry;
    reg.finish(b.id, { error: 'The analysis ran out of memory and was stopped.' });
    reg.finish(c.id, { cancelled: true });
    const [ra, rb, rc] = rootNodes(reg.list());
    assert.equal(ra!.id, a.id);
    assert.equal(ra!.icon, 'sync~spin');
    assert.equal(ra!.contextValue, 'incidentLens.analysis.running');
    assert.equal(rb!.children!()[0]!.label, 'The analysis ran out of memory and was stopped.');
    assert.equal(rc!.description, 'cancelled');
  });

  it('narrows the tree to the timeline selection and says so; clearing it brings everything back', () => {
    const report = sampleReport();
    const { reg } = doneRegistry(report);
    const id = reg.list()[0]!.id;
    const ev = report.events[0]!; // the restart, 420 ms before the peer down
    reg.setSelection(id, [ev.timeUs - 1000, ev.timeUs + 1000]);
    let groups = rootNodes(reg.list())[0]!.children!();
    assert.equal(groups[0]!.label, 'Showing the timeline selection');
    assert.equal(groups[0]!.description, '10:00:00.999 – 10:00:01.001');
    const labels = groups.map((g) => `${g.label} ${g.description}`);
    assert.ok(labels.includes('Events 1') && labels.includes('Chains 1'), labels.join(' | '));
    assert.ok(!labels.some((l) => l.startsWith('Loop episodes')), 'the loop starts later: not in the selection');
    reg.setSelection(id, [0, 1]);
    groups = rootNodes(reg.list())[0]!.children!();
    assert.equal(groups[1]!.label, 'No loops, events or chains in the selected interval');
    reg.setSelection(id, undefined);
    groups = rootNodes(reg.list())[0]!.children!();
    assert.equal(groups[0]!.label, 'Hypotheses');
    assert.ok(groups.some((g) => g.label === 'Events' && g.description === '4'));
  });

  it('says so when a report found nothing', () => {
    const report = sampleReport();
    report.loops = [];
    report.events = [];
    report.chains = [];
    report.patterns = [];
    report.hypotheses = [];
    const { root } = doneRegistry(report);
    assert.equal(root.children!()[0]!.label, 'No loops, events or chains found in these files');
  });
});
