/**
 * Compares what `incident-lens analyze` says about a lab run with the run's truth.json, and prints one
 * `compare: PASS` or `compare: FAIL ...` line (exit 1 on FAIL). The product is run as a user would run it (the
 * built CLI, JSON output); only the Report's documented fields are read.
 *
 * Checked: the same number of loops; each truth loop matched by one reported loop with the same TTL step and
 * start/end within 50 ms (same capture, so only rounding may differ); every restart that opened a loop has a
 * chain holding a loop step at that loop's start. Printed, not checked: the hypotheses' verdicts.
 *
 * Usage: node --import tsx lab/compare.ts <out-dir> [cli.js]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: compare.ts <out-dir> [cli.js]');
const cli = resolve(process.argv[3] ?? join(__dirname, '..', 'dist', 'cli.js'));
const TOLERANCE_US = 50_000;

interface Instant {
  timeUs: number;
  time: string;
}
interface Truth {
  scenario: string;
  restarts: { n: number; kill: Instant; loop: string | null }[];
  loops: { id: string; start: Instant; end: Instant; ttlStep: number }[];
}
interface ReportLike {
  loops: { id: string; startUs: number; endUs: number; ttlStep: number }[];
  chains: { id: string; steps: { kind: string; timeUs: number }[] }[];
  hypotheses: { id: string; verdict: string; reasoning: string }[];
}

if (!existsSync(cli)) {
  console.log(`compare: SKIP ${cli} not built (npm run build)`);
  process.exit(0);
}
const truth = JSON.parse(readFileSync(join(outDir, 'truth.json'), 'utf8')) as Truth;
const inputs = [join(outDir, 'core-access.pcapng'), join(outDir, 'logs')];
let json: string;
try {
  json = execFileSync(process.execPath, [cli, 'analyze', '--json', ...inputs], { encoding: 'utf8', maxBuffer: 1 << 30 });
} catch (e) {
  // Exit 2 = some input was damaged, the Report is still written.
  const err = e as { status?: number; stdout?: string };
  if (err.status !== 2 || !err.stdout) throw e;
  json = err.stdout;
}
const report = JSON.parse(json) as ReportLike;

const problems: string[] = [];
if (report.loops.length !== truth.loops.length)
  problems.push(`analyze found ${report.loops.length} loops, truth has ${truth.loops.length}`);
const matched = new Map<string, string>();
for (const t of truth.loops) {
  const r = report.loops.find(
    (l) => Math.abs(l.startUs - t.start.timeUs) <= TOLERANCE_US && Math.abs(l.endUs - t.end.timeUs) <= TOLERANCE_US,
  );
  if (!r) {
    problems.push(`${t.id} (${t.start.time} .. ${t.end.time}) not found`);
    continue;
  }
  matched.set(t.id, r.id);
  if (r.ttlStep !== t.ttlStep) problems.push(`${t.id}: TTL step ${r.ttlStep}, truth ${t.ttlStep}`);
  console.log(
    `compare: ${t.id} = ${r.id}: start ${((r.startUs - t.start.timeUs) / 1000).toFixed(3)} ms, ` +
      `end ${((r.endUs - t.end.timeUs) / 1000).toFixed(3)} ms off, TTL step ${r.ttlStep}`,
  );
}
for (const restart of truth.restarts) {
  const loop = truth.loops.find((l) => l.id === restart.loop);
  if (!loop) continue;
  const chain = report.chains.find((c) =>
    c.steps.some((s) => s.kind === 'loop' && Math.abs(s.timeUs - loop.start.timeUs) <= TOLERANCE_US),
  );
  if (!chain) problems.push(`restart ${restart.n} (${restart.kill.time}): no chain leads to ${loop.id}`);
  else console.log(`compare: restart ${restart.n} -> ${chain.id}: ${chain.steps.map((s) => s.kind).join(' -> ')}`);
}
for (const h of report.hypotheses) console.log(`compare: hypothesis ${h.id}: ${h.verdict}`);
console.log(problems.length ? `compare: FAIL ${problems.join('; ')}` : `compare: PASS analyze agrees with truth.json (${truth.scenario})`);
process.exitCode = problems.length ? 1 : 0;
