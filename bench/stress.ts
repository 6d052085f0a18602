/**
 * `npm run bench -- --stress`: what the main run does not show. (1) The analyze ratio with a noisy neighbour: a
 * second process streams through 256 MB of memory for a share of every 100 ms on one of the cores, while raw read,
 * analyze and analyze in one thread run interleaved on the benchmark's pcap. (2) Captures that stress one part of
 * the analysis each (generateStress.ts), analysed once, with what was found against what was generated.
 * Reports only; writes bench/stress.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateFlood, generateManyLoops, generateStorm, type StressCapture } from './generateStress';
import { fmt, runRounds, type Measured } from './measure';

const NEIGHBOUR_DUTIES = [0, 30, 60];

/** The neighbour itself (run as `bench.js --neighbour <percent>`): never returns. */
export function neighbourLoop(dutyPercent: number): void {
  const buf = new Float64Array(32 << 20);
  let i = 0;
  const burst = (): void => {
    const end = Date.now() + dutyPercent;
    while (Date.now() < end) {
      for (let k = 0; k < 65536; k++, i = (i + 8) & (buf.length - 1)) buf[i]! += buf[(i * 7) & (buf.length - 1)]! + 1;
    }
    setTimeout(burst, 100 - dutyPercent);
  };
  burst();
}

function startNeighbour(dutyPercent: number): ChildProcess | null {
  if (dutyPercent <= 0) return null;
  return spawn(process.execPath, [process.argv[1]!, '--neighbour', String(dutyPercent)], { stdio: 'ignore' });
}

export function runStress(dir: string, pcap: string, runs: number, log: (s: string) => void): string[] {
  const lines: string[] = [];
  lines.push('## With a noisy neighbour', '');
  lines.push(`A second process streams through 256 MB of memory for the given share of every 100 ms (one core of the two at most), while the three stages run interleaved, ${runs} rounds, medians. The raw read uses one thread, so it loses little; analyze uses both cores and loses more.`, '');
  lines.push('| neighbour busy | raw read | analyze | analyze / raw read | one thread | one thread / raw read |', '| --- | --- | --- | --- | --- | --- |');
  for (const duty of NEIGHBOUR_DUTIES) {
    log(`  neighbour ${duty} %`);
    const neighbour = startNeighbour(duty);
    try {
      const [raw, two, one] = runRounds([
        { label: 'raw', stage: 'raw', files: [pcap] },
        { label: 'analyze', stage: 'analyze', files: [pcap] },
        { label: 'analyze-1t', stage: 'analyze-1t', files: [pcap] },
      ], runs, log) as [Measured, Measured, Measured];
      lines.push(`| ${duty} % | ${fmt(raw.seconds, 2)} s | ${fmt(two.seconds, 2)} s | ${fmt(raw.seconds / two.seconds, 2)} | ${fmt(one.seconds, 2)} s | ${fmt(raw.seconds / one.seconds, 2)} |`);
    } finally {
      neighbour?.kill();
    }
  }
  lines.push('', '## Captures that stress one part each', '');
  lines.push('Each analysed once (`--stage analyze`), with both threads where the capture is large enough.', '');
  lines.push('| capture | what | size | packets | time | CPU | peak RSS | found (expected) |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  const captures: (() => StressCapture)[] = [
    () => generateFlood(join(dir, 'stress-flood.pcap'), 1_500_000),
    () => generateStorm(join(dir, 'stress-storm.pcap'), 100_000, 30),
    () => generateManyLoops(join(dir, 'stress-loops.pcap'), 20_000),
  ];
  for (const make of captures) {
    const c = make();
    log(`  ${c.name}`);
    const [m] = runRounds([{ label: c.name, stage: 'analyze', files: [c.path] }], 1, log) as [Measured];
    const found = Object.entries(c.expect).map(([k, want]) => `${k} ${m.extra?.[k] ?? 'n/a'} (${want})`).join(', ');
    lines.push(m.error
      ? `| ${c.name} | ${c.what} | | ${c.packets} | failed: ${m.error} | | | |`
      : `| ${c.name} | ${c.what} | ${fmt(m.bytes / 2 ** 20)} MB | ${c.packets.toLocaleString('en')} | ${fmt(m.seconds, 1)} s | ${fmt(m.cpuSeconds, 1)} s | ${fmt(m.maxRssMB ?? NaN, 0)} MB | ${found} |`);
    rmSync(c.path, { force: true });
  }
  return lines;
}
