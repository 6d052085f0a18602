import { strict as assert } from 'node:assert';
import { AnalysisRegistry, analysisKey, analysisLabel, analysisReads } from '../../../src/host/analysisRegistry';
import { contextKeys } from '../../../src/host/contextKeys';
import { LOG_GOBGP, sampleReport } from './sampleReport';

describe('host: analysis registry', () => {
  it('identifies an analysis by its set of files, whatever the order or spelling', () => {
    assert.equal(analysisKey(['/a/x.log', '/a/b/../cap.pcap']), analysisKey(['/a/cap.pcap', '/a/x.log', '/a/x.log']));
    assert.notEqual(analysisKey(['/a/x.log']), analysisKey(['/a/x.log', '/a/y.log']));
  });

  it('names analyses after their files', () => {
    assert.equal(analysisLabel(['/c/loop.pcapng']), 'loop.pcapng');
    assert.equal(analysisLabel(['/c/loop.pcapng', '/c/a.log']), 'loop.pcapng + a.log');
    assert.equal(analysisLabel(['/c/loop.pcapng', '/c/a.log', '/c/b.log']), 'loop.pcapng + 2 more');
  });

  it('replaces a running analysis of the same files and ignores the old job\'s late result', () => {
    const reg = new AnalysisRegistry();
    const first = reg.begin(['/c/a.log', '/c/cap.pcap'], { now: 1 }).entry;
    const second = reg.begin(['/c/cap.pcap', '/c/a.log'], { now: 2 });
    assert.deepEqual(second.replaced.map((e) => e.id), [first.id]);
    assert.equal(reg.list().length, 1);
    assert.equal(reg.finish(first.id, { report: sampleReport() }), false, 'the replaced job must not overwrite anything');
    assert.equal(reg.finish(second.entry.id, { report: sampleReport() }), true);
    assert.equal(reg.get(second.entry.id)?.status, 'done');
  });

  it('keeps analyses of different files side by side, newest first, and replaces the one a file was added to', () => {
    const reg = new AnalysisRegistry();
    const a = reg.begin(['/c/a.log'], { now: 1 }).entry;
    const b = reg.begin(['/c/b.log'], { now: 2 }).entry;
    assert.deepEqual(reg.list().map((e) => e.id), [b.id, a.id]);
    const c = reg.begin(['/c/a.log', '/c/extra.log'], { now: 3, replaces: a.id });
    assert.deepEqual(c.replaced.map((e) => e.id), [a.id]);
    assert.deepEqual(reg.list().map((e) => e.id), [c.entry.id, b.id]);
    assert.equal(reg.current?.id, c.entry.id);
  });

  it('knows which analyses read a file: named, inside an analysed folder, or among the Report\'s inputs', () => {
    const reg = new AnalysisRegistry();
    const folder = reg.begin(['/cases/inc-42/']).entry;
    const single = reg.begin(['/cases/other/a.log']).entry;
    assert.ok(analysisReads(folder, '/cases/inc-42/logs/kubelet.log'));
    assert.ok(!analysisReads(folder, '/cases/inc-420/kubelet.log'), 'a sibling folder with a longer name is not inside');
    assert.ok(analysisReads(single, '/cases/other/./a.log'));
    assert.ok(!analysisReads(single, '/cases/other/b.log'));
    reg.finish(single.id, { report: sampleReport() });
    assert.ok(analysisReads(single, LOG_GOBGP), 'listed in the Report');
  });

  it('drives the menus\' context keys and tells listeners about every change', () => {
    const reg = new AnalysisRegistry();
    let changes = 0;
    reg.onDidChange(() => changes++);
    assert.deepEqual(contextKeys(reg.list()), { 'incidentLens.hasAnalysis': false, 'incidentLens.hasReport': false, 'incidentLens.analysisRunning': false });
    const e = reg.begin(['/c/a.log']).entry;
    assert.deepEqual(contextKeys(reg.list()), { 'incidentLens.hasAnalysis': true, 'incidentLens.hasReport': false, 'incidentLens.analysisRunning': true });
    reg.finish(e.id, { report: sampleReport() });
    assert.deepEqual(contextKeys(reg.list()), { 'incidentLens.hasAnalysis': true, 'incidentLens.hasReport': true, 'incidentLens.analysisRunning': false });
    reg.remove(e.id);
    assert.equal(changes, 3);
    assert.equal(reg.current, undefined);
  });
});
