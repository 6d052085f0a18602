/**
 * `npm run bench [-- --size 1g --runs 3 --seed 42]`: generates its own inputs, then measures, side by side in one run,
 * the raw read ceiling, our reader / decoder / analyze, the peers (tshark field extraction, pcap-parser), and log
 * parsing against a plain line split. Reports throughput, ratios and peak RSS; writes bench/results.md.
 * It reports; it never fails on a number (machines are noisy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCapture } from './generateCapture';
import { generateLogs } from './generateLogs';
import { stages } from './stages';

interface Measured {
  label: string;
  stage: string;
  files: string[];
  bytes: number;
  items: number;
  seconds: number;
  maxRssMB: number | null;
  extra?: Record<string, number>;
  error?: string;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(s.trim());
  if (!m) throw new Error(`--size: cannot read '${s}' (examples: 200m, 1g)`);
  const mult = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * mult);
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command, returning wall seconds and peak RSS (from GNU time when present). */
function timed(cmd: string, args: string[]): { seconds: number; maxRssMB: number | null; stdout: string; stderr: string; status: number | null } {
  const full = TIME ? [TIME, ['-f', '@@RSS %M', cmd, ...args]] as const : [cmd, args] as const;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /@@RSS (\d+)/.exec(r.stderr ?? '');
  return { seconds, maxRssMB: rss ? Number(rss[1]) / 1024 : null, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runStage(label: string, stage: string, files: string[], runs: number): Measured {
  const times: number[] = [];
  let rss: number | null = null;
  let last: { items: number; bytes: number; seconds?: number; extra?: Record<string, number> } = { items: 0, bytes: 0 };
  for (let i = 0; i < runs; i++) {
    const r = timed(process.execPath, ['--max-old-space-size=4096', process.argv[1], '--stage', stage, ...files]);
    if (r.status !== 0) return { label, stage, files, bytes: 0, items: 0, seconds: NaN, maxRssMB: null, error: r.stderr.trim().split('\n').slice(-3).join(' ') };
    last = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    // The stage's own clock, so that node's start-up (~0.1 s) does not flatten the ratios on small inputs.
    times.push(last.seconds ?? r.seconds);
    if (r.maxRssMB !== null) rss = Math.max(rss ?? 0, r.maxRssMB);
  }
  return { label, stage, files, bytes: last.bytes, items: last.items, seconds: median(times), maxRssMB: rss, extra: last.extra };
}

const TSHARK_FIELDS = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ip.id', 'ip.ttl', 'ip.proto', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'udp.srcport', 'udp.dstport', 'vlan.id'];

function runTshark(file: string, runs: number, bytes: number): Measured {
  const which = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) return { label: 'tshark -T fields', stage: 'tshark', files: [file], bytes, items: 0, seconds: NaN, maxRssMB: null, error: 'tshark not installed (apt-get install tshark)' };
  const times: number[] = [];
  let rss: number | null = null;
  let items = 0;
  for (let i = 0; i < runs; i++) {
    const args = ['-c', `tshark -n -r '${file}' -T fields ${TSHARK_FIELDS.map((f) => `-e ${f}`).join(' ')} | wc -l`];
    const r = timed('sh', args);
    items = Number(r.stdout.trim().split('\n').pop());
    times.push(r.seconds);
    if (r.maxRssMB !== null) rss = Math.max(rss ?? 0, r.maxRssMB);
  }
  return { label: 'tshark -T fields', stage: 'tshark', files: [file], bytes, items, seconds: median(times), maxRssMB: rss };
}

const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function row(m: Measured, ceiling: Measured | undefined): string {
  const mbs = m.bytes / (1 << 20) / m.seconds;
  const ratio = ceiling && ceiling.seconds > 0 ? ceiling.seconds / m.seconds : NaN;
  if (m.error) return `| ${m.label} | ${m.files.map((f) => f.split('/').pop()).join(', ')} | failed: ${m.error} | | | | |`;
  return `| ${m.label} | ${m.files.map((f) => f.split('/').pop()).join(', ')} | ${fmt(m.seconds, 2)} s | ${fmt(mbs)} MB/s | ${fmt(m.items / m.seconds / 1e6, 2)} M/s | ${fmt(ratio, 2)} | ${m.maxRssMB === null ? 'n/a' : fmt(m.maxRssMB, 0) + ' MB'} |`;
}

async function childMain(stage: string, files: string[]): Promise<void> {
  const fn = stages[stage];
  if (!fn) throw new Error(`unknown stage ${stage}`);
  const t0 = process.hrtime.bigint();
  const r = await fn(files);
  r.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify(r) + '\n');
}

async function parentMain(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '1g' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      dir: { type: 'string' },
      out: { type: 'string', default: 'bench/results.md' },
      'skip-tshark': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const size = parseSize(values.size!);
  const runs = Math.max(1, Number(values.runs));
  const seed = Number(values.seed);
  const dir = resolve(values.dir ?? join(tmpdir(), `incident-lens-bench-${process.pid}`));
  mkdirSync(dir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(s + '\n');
  try {
    log(`generating inputs in ${dir} (size ${values.size}, seed ${seed})`);
    const small = Math.max(1 << 20, Math.floor(size / 10));
    const pcap = generateCapture(join(dir, 'bench.pcap'), 'pcap', size, seed);
    const pcapng = generateCapture(join(dir, 'bench.pcapng'), 'pcapng', size, seed + 1);
    const pcapSmall = generateCapture(join(dir, 'bench-small.pcap'), 'pcap', small, seed);
    const logDir = join(dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const logsGen = generateLogs(logDir, size, seed);
    const results: Measured[] = [];
    const stage = (label: string, s: string, files: string[], n = runs): Measured => {
      log(`  ${label} on ${files.length} file(s)...`);
      const m = runStage(label, s, files, n);
      results.push(m);
      return m;
    };
    const rawPcap = stage('raw read (ceiling)', 'raw', [pcap.path]);
    const framesPcap = stage('reader (frames)', 'frames', [pcap.path]);
    const packetsPcap = stage('reader + decoder', 'packets', [pcap.path]);
    const analyzePcap = stage('analyze (loops + impact)', 'analyze', [pcap.path]);
    const peerPcapParser = stage('pcap-parser (peer)', 'pcap-parser', [pcap.path]);
    log('  tshark...');
    const tshark = values['skip-tshark'] ? undefined : runTshark(pcap.path, 1, pcap.bytes);
    if (tshark) results.push(tshark);
    const rawNg = stage('raw read (ceiling)', 'raw', [pcapng.path]);
    const packetsNg = stage('reader + decoder', 'packets', [pcapng.path]);
    const analyzeNg = stage('analyze (loops + impact)', 'analyze', [pcapng.path]);
    const packetsSmall = stage('reader + decoder (1/10 size)', 'packets', [pcapSmall.path]);
    const analyzeSmall = stage('analyze (1/10 size)', 'analyze', [pcapSmall.path]);
    const rawLogs = stage('raw read (ceiling)', 'raw', logsGen.files);
    const split = stage('line split (peer)', 'line-split', logsGen.files);
    const logs = stage('log parsing (events)', 'logs', logsGen.files);

    const ratio = (a: Measured | undefined, b: Measured | undefined): string => (a && b && !a.error && !b.error ? fmt(b.seconds / a.seconds, 2) : 'n/a');
    const lines: string[] = [];
    lines.push('# Benchmark results', '');
    lines.push(`Generated by \`npm run bench -- --size ${values.size} --runs ${runs} --seed ${seed}\` on ${new Date().toISOString()}.`, '');
    lines.push(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}${tshark && !tshark.error ? `, ${spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}` : ''}.`, '');
    lines.push(`Inputs: pcap ${fmt(pcap.bytes / 2 ** 20)} MB (${pcap.packets} packets, ${pcap.loops.length} loop episodes), pcapng ${fmt(pcapng.bytes / 2 ** 20)} MB (${pcapng.packets} packets), logs ${fmt(logsGen.bytes / 2 ** 20)} MB (${logsGen.lines} lines in ${logsGen.files.length} files). Median of ${runs} runs (tshark: 1 run); peak RSS from GNU time.`, '');
    lines.push('| what | input | time | throughput | items/s | share of raw read | peak RSS |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const m of results) {
      const ceiling = m.files.some((f) => f.endsWith('.log')) ? rawLogs : m.files[0].endsWith('.pcapng') ? rawNg : m.files[0].includes('small') ? undefined : rawPcap;
      lines.push(row(m, ceiling));
    }
    lines.push('', '## Ratios (same machine, same run)', '');
    lines.push(`| ratio | value | target |`, `| --- | --- | --- |`);
    lines.push(`| reader + decoder / raw read (pcap) | ${ratio(packetsPcap, rawPcap)} | >= 0.33 |`);
    lines.push(`| reader + decoder / raw read (pcapng) | ${ratio(packetsNg, rawNg)} | >= 0.33 |`);
    lines.push(`| analyze / raw read (pcap) | ${ratio(analyzePcap, rawPcap)} | >= 0.20 |`);
    lines.push(`| analyze / raw read (pcapng) | ${ratio(analyzeNg, rawNg)} | >= 0.20 |`);
    lines.push(`| speed-up of reader + decoder over tshark -T fields | ${ratio(packetsPcap, tshark)} | >= 30 |`);
    lines.push(`| speed-up of reader over pcap-parser | ${ratio(framesPcap, peerPcapParser)} | >= 5 |`);
    lines.push(`| log parsing / line split | ${ratio(logs, split)} | >= 0.25 |`);
    const growth = (big: Measured, smallM: Measured): string =>
      `time x${fmt(big.seconds / smallM.seconds, 1)} for x${fmt(big.bytes / smallM.bytes, 1)} bytes; RSS ${fmt(smallM.maxRssMB ?? NaN, 0)} -> ${fmt(big.maxRssMB ?? NaN, 0)} MB`;
    lines.push('', '## Growth (1/10 size -> full size)', '');
    lines.push(`- reader + decoder: ${growth(packetsPcap, packetsSmall)}`);
    lines.push(`- analyze: ${growth(analyzePcap, analyzeSmall)}`);
    lines.push(`- loops found by analyze: ${analyzePcap.extra?.loops ?? 'n/a'} (generated: ${pcap.loops.length}) in pcap, ${analyzeNg.extra?.loops ?? 'n/a'} (generated: ${pcapng.loops.length}) in pcapng`);
    lines.push('');
    const text = lines.join('\n');
    writeFileSync(values.out!, text + '\n');
    process.stdout.write(text + '\n');
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const stageIdx = process.argv.indexOf('--stage');
if (stageIdx >= 0) {
  childMain(process.argv[stageIdx + 1], process.argv.slice(stageIdx + 2)).catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  });
} else {
  parentMain().catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  });
}
