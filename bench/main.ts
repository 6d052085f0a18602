/**
 * `npm run bench [-- --size 1g --runs 3 --seed 42]`: generates its own inputs, then measures, side by side in one run,
 * the raw read ceiling, our reader / decoder / analyze, the peers (tshark field extraction, pcap-parser), and log
 * parsing against a plain line split. Reports throughput, ratios and peak RSS; writes bench/results.md. With
 * `--stress`, instead: the analyze ratio beside a noisy neighbour and the stress captures (stress.ts, stress.md).
 * It reports; it never fails on a number (machines are noisy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCapture, type GeneratedCapture } from './generateCapture';
import { generateLogs, type GeneratedLogs } from './generateLogs';
import { fmt, median, runRounds, runStageOnce, timed, type Measured, type StagePlan } from './measure';
import { stages } from './stages';
import { neighbourLoop, runStress } from './stress';

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(s.trim());
  if (!m) throw new Error(`--size: cannot read '${s}' (examples: 200m, 1g)`);
  const mult = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * mult);
}

const TSHARK_FIELDS = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ip.id', 'ip.ttl', 'ip.proto', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'udp.srcport', 'udp.dstport', 'vlan.id'];

function runTshark(file: string, runs: number, bytes: number): Measured {
  const base = { label: 'tshark -T fields', stage: 'tshark', files: [file], bytes };
  const which = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) return { ...base, items: 0, seconds: NaN, cpuSeconds: NaN, maxRssMB: null, error: 'tshark not installed (apt-get install tshark)' };
  const times: number[] = [];
  const cpu: number[] = [];
  let rss: number | null = null;
  let items = 0;
  for (let i = 0; i < runs; i++) {
    const args = ['-c', `tshark -n -r '${file}' -T fields ${TSHARK_FIELDS.map((f) => `-e ${f}`).join(' ')} | wc -l`];
    const r = timed('sh', args);
    items = Number(r.stdout.trim().split('\n').pop());
    times.push(r.seconds);
    cpu.push(r.cpuSeconds ?? NaN);
    if (r.maxRssMB !== null) rss = Math.max(rss ?? 0, r.maxRssMB);
  }
  return { ...base, items, seconds: median(times), cpuSeconds: median(cpu), maxRssMB: rss };
}


function row(m: Measured, ceiling: Measured | undefined): string {
  const input = m.files.map((f) => f.split('/').pop()).join(', ');
  if (m.error) return `| ${m.label} | ${input} | failed: ${m.error} | | | | | | |`;
  const mbs = m.bytes / (1 << 20) / m.seconds;
  const share = ceiling && ceiling.seconds > 0 ? ceiling.seconds / m.seconds : NaN;
  const cpuShare = ceiling && ceiling.cpuSeconds > 0 ? ceiling.cpuSeconds / m.cpuSeconds : NaN;
  const rss = m.maxRssMB === null ? 'n/a' : fmt(m.maxRssMB, 0) + ' MB';
  return `| ${m.label} | ${input} | ${fmt(m.seconds, 2)} s | ${fmt(m.cpuSeconds, 2)} s | ${fmt(mbs)} MB/s | ${fmt(m.items / m.seconds / 1e6, 2)} M/s | ${fmt(share, 2)} | ${fmt(cpuShare, 2)} | ${rss} |`;
}

async function childMain(stage: string, files: string[]): Promise<void> {
  const fn = stages[stage];
  if (!fn) throw new Error(`unknown stage ${stage}`);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await fn(files);
  r.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  r.cpuSeconds = (c.user + c.system) / 1e6;
  process.stdout.write(JSON.stringify(r) + '\n');
}

interface Inputs {
  pcap: GeneratedCapture;
  pcapng: GeneratedCapture;
  pcapSmall: GeneratedCapture;
  logs: GeneratedLogs;
}

/** The inputs a previous `--keep` run left in `dir` for the same size and seed, when asked to reuse them. */
function reusedInputs(dir: string, size: number, seed: number, reuse: boolean): Inputs | null {
  const metaPath = join(dir, 'inputs.json');
  if (!reuse || !existsSync(metaPath)) return null;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { size: number; seed: number; inputs: Inputs };
  return meta.size === size && meta.seed === seed ? meta.inputs : null;
}

/** Generates the inputs, or with `--reuse` takes those a previous run left in `dir` for the same size and seed. */
function prepareInputs(dir: string, size: number, seed: number, reuse: boolean, log: (s: string) => void): Inputs {
  const metaPath = join(dir, 'inputs.json');
  const reused = reusedInputs(dir, size, seed, reuse);
  if (reused) {
    log(`reusing the inputs in ${dir}`);
    return reused;
  }
  log(`generating inputs in ${dir} (size ${size} bytes, seed ${seed})`);
  const small = Math.max(1 << 20, Math.floor(size / 10));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const inputs: Inputs = {
    pcap: generateCapture(join(dir, 'bench.pcap'), 'pcap', size, seed),
    pcapng: generateCapture(join(dir, 'bench.pcapng'), 'pcapng', size, seed + 1),
    pcapSmall: generateCapture(join(dir, 'bench-small.pcap'), 'pcap', small, seed),
    logs: generateLogs(logDir, size, seed),
  };
  writeFileSync(metaPath, JSON.stringify({ size, seed, inputs }));
  return inputs;
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
      /** Reuse the inputs a previous `--keep` run left in `--dir` (same size and seed). */
      reuse: { type: 'boolean', default: false },
      /** Also analyze one capture of this size, once, for the memory target (e.g. `--large 4g`). */
      large: { type: 'string' },
      /**
       * Exit 1 when a stage failed or analyze found other loops than the generator made (CI: the benchmark still
       * runs and still finds what it should; its timings are never judged).
       */
      check: { type: 'boolean', default: false },
      /** Instead of the main run: the analyze ratio beside a noisy neighbour, and the stress captures (bench/stress.ts). */
      stress: { type: 'boolean', default: false },
      'stress-out': { type: 'string', default: 'bench/stress.md' },
    },
  });
  const size = parseSize(values.size!);
  const runs = Math.max(1, Number(values.runs));
  const seed = Number(values.seed);
  const dir = resolve(values.dir ?? join(tmpdir(), `incident-lens-bench-${process.pid}`));
  mkdirSync(dir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(s + '\n');
  const keep = values.keep || values.reuse;
  try {
    const loadBefore = loadavg();
    if (values.stress) {
      const pcap = reusedInputs(dir, size, seed, values.reuse!)?.pcap.path ?? generateCapture(join(dir, 'bench.pcap'), 'pcap', size, seed).path;
      runStageOnce('raw', [pcap]);
      const stress = runStress(dir, pcap, runs, log);
      const text = [
        '# Stress benchmarks', '',
        `Generated by \`npm run bench -- --stress --size ${values.size} --runs ${runs} --seed ${seed}\` on ${new Date().toISOString()}.`, '',
        `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}. Load average (1 min) ${fmt(loadBefore[0]!, 1)} before, ${fmt(loadavg()[0]!, 1)} after. The pcap: ${pcap.split('/').pop()}, ${fmt(size / 2 ** 20)} MB.`, '',
        ...stress, '',
      ].join('\n');
      mkdirSync(dirname(resolve(values['stress-out']!)), { recursive: true });
      writeFileSync(values['stress-out']!, text);
      process.stdout.write(text);
      return;
    }
    const { pcap, pcapng, pcapSmall, logs: logsGen } = prepareInputs(dir, size, seed, values.reuse!, log);
    const captureFiles = [pcap.path, pcapng.path, pcapSmall.path];
    // Page cache first: every stage then reads from memory, the raw read included (it is the ceiling, not a disk test).
    log('  warming the page cache');
    runStageOnce('raw', [...captureFiles, ...logsGen.files]);
    const plans: StagePlan[] = [
      { label: 'raw read (ceiling)', stage: 'raw', files: [pcap.path] },
      { label: 'reader (frames)', stage: 'frames', files: [pcap.path] },
      { label: 'reader + decoder', stage: 'packets', files: [pcap.path] },
      { label: 'analyze (loops + impact)', stage: 'analyze', files: [pcap.path] },
      { label: 'analyze, one thread', stage: 'analyze-1t', files: [pcap.path] },
      { label: 'pcap-parser (peer)', stage: 'pcap-parser', files: [pcap.path] },
      { label: 'raw read (ceiling)', stage: 'raw', files: [pcapng.path] },
      { label: 'reader + decoder', stage: 'packets', files: [pcapng.path] },
      { label: 'analyze (loops + impact)', stage: 'analyze', files: [pcapng.path] },
      { label: 'analyze, one thread', stage: 'analyze-1t', files: [pcapng.path] },
      { label: 'reader + decoder (1/10 size)', stage: 'packets', files: [pcapSmall.path] },
      { label: 'analyze (1/10 size)', stage: 'analyze', files: [pcapSmall.path] },
      { label: 'raw read (ceiling)', stage: 'raw', files: logsGen.files },
      { label: 'line split (peer)', stage: 'line-split', files: logsGen.files },
      { label: 'log parsing (events)', stage: 'logs', files: logsGen.files },
      { label: 'log parsing, one thread', stage: 'logs-1t', files: logsGen.files },
    ];
    const results = runRounds(plans, runs, log);
    const [rawPcap, framesPcap, packetsPcap, analyzePcap, analyzePcap1, peerPcapParser, rawNg, packetsNg, analyzeNg, analyzeNg1, packetsSmall, analyzeSmall, rawLogs, split, logs, logs1] = results as [
      Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured, Measured,
    ];
    log('  tshark...');
    const tshark = values['skip-tshark'] ? undefined : runTshark(pcap.path, 1, pcap.bytes);
    if (tshark) results.splice(6, 0, tshark);
    let large: { gen: GeneratedCapture; m: Measured } | undefined;
    if (values.large) {
      const largeSize = parseSize(values.large);
      log(`  generating and analyzing a ${values.large} capture once (memory)...`);
      const gen = generateCapture(join(dir, 'bench-large.pcap'), 'pcap', largeSize, seed);
      const [m] = runRounds([{ label: `analyze (${values.large})`, stage: 'analyze', files: [gen.path] }], 1, log);
      rmSync(gen.path, { force: true });
      large = { gen, m: m! };
    }
    const loadAfter = loadavg();

    const ratio = (a: Measured | undefined, b: Measured | undefined, key: 'seconds' | 'cpuSeconds'): string => (a && b && !a.error && !b.error ? fmt(b[key] / a[key], 2) : 'n/a');
    const ratioRow = (what: string, ours: Measured | undefined, other: Measured | undefined, target: string): string =>
      `| ${what} | ${ratio(ours, other, 'seconds')} | ${ratio(ours, other, 'cpuSeconds')} | ${target} |`;
    const lines: string[] = [];
    lines.push('# Benchmark results', '');
    lines.push(`Generated by \`npm run bench -- --size ${values.size} --runs ${runs} --seed ${seed}${values.large ? ` --large ${values.large}` : ''}\` on ${new Date().toISOString()}.`, '');
    lines.push(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}${tshark && !tshark.error ? `, ${spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}` : ''}. Load average (1 min) ${fmt(loadBefore[0]!, 1)} before, ${fmt(loadAfter[0]!, 1)} after: with a load above the core count, wall times include waiting for a CPU, and the CPU-time columns are the steadier measure.`, '');
    lines.push(`Inputs: pcap ${fmt(pcap.bytes / 2 ** 20)} MB (${pcap.packets} packets, ${pcap.loops.length} loop episodes), pcapng ${fmt(pcapng.bytes / 2 ** 20)} MB (${pcapng.packets} packets, ${pcapng.loops.length} loop episodes), logs ${fmt(logsGen.bytes / 2 ** 20)} MB (${logsGen.lines} lines in ${logsGen.files.length} files), all in the page cache. Median of ${runs} runs, the stages interleaved round by round (tshark: 1 run); peak RSS from GNU time; time and CPU from the stage's own clocks (without node's start-up).`, '');
    lines.push('| what | input | time | CPU | throughput | items/s | share of raw read (time) | share of raw read (CPU) | peak RSS |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const m of results) {
      const ceiling = m.files.some((f) => f.endsWith('.log')) ? rawLogs : m.files[0]!.endsWith('.pcapng') ? rawNg : m.files[0]!.includes('small') ? undefined : rawPcap;
      lines.push(row(m, ceiling));
    }
    lines.push('', '## Ratios (same machine, same run)', '');
    lines.push(`| ratio | by wall time | by CPU time | target |`, `| --- | --- | --- | --- |`);
    lines.push(ratioRow('reader + decoder / raw read (pcap)', packetsPcap, rawPcap, '>= 0.33'));
    lines.push(ratioRow('reader + decoder / raw read (pcapng)', packetsNg, rawNg, '>= 0.33'));
    lines.push(ratioRow('analyze / raw read (pcap)', analyzePcap, rawPcap, '>= 0.20'));
    lines.push(ratioRow('analyze / raw read (pcapng)', analyzeNg, rawNg, '>= 0.20'));
    lines.push(ratioRow('analyze, one thread / raw read (pcap)', analyzePcap1, rawPcap, '(for comparison)'));
    lines.push(ratioRow('analyze, one thread / raw read (pcapng)', analyzeNg1, rawNg, '(for comparison)'));
    lines.push(ratioRow('speed-up of reader + decoder over tshark -T fields', packetsPcap, tshark, '>= 30'));
    lines.push(ratioRow('speed-up of reader over pcap-parser', framesPcap, peerPcapParser, '>= 5'));
    lines.push(ratioRow('log parsing / line split', logs, split, '>= 0.25'));
    lines.push(ratioRow('log parsing, one thread / line split', logs1, split, '(for comparison)'));
    const growth = (big: Measured, smallM: Measured): string =>
      `time x${fmt(big.seconds / smallM.seconds, 1)} (CPU x${fmt(big.cpuSeconds / smallM.cpuSeconds, 1)}) for x${fmt(big.bytes / smallM.bytes, 1)} bytes; RSS ${fmt(smallM.maxRssMB ?? NaN, 0)} -> ${fmt(big.maxRssMB ?? NaN, 0)} MB`;
    lines.push('', '## Growth (1/10 size -> full size)', '');
    lines.push(`- reader + decoder: ${growth(packetsPcap, packetsSmall)}`);
    lines.push(`- analyze: ${growth(analyzePcap, analyzeSmall)}`);
    if (large) {
      const m = large.m;
      lines.push(`- analyze of a ${fmt(large.gen.bytes / 2 ** 30, 2)} GB pcap (${large.gen.packets} packets, ${large.gen.loops.length} loop episodes, 1 run): ${m.error ? `failed: ${m.error}` : `${fmt(m.seconds, 1)} s, CPU ${fmt(m.cpuSeconds, 1)} s, peak RSS ${fmt(m.maxRssMB ?? NaN, 0)} MB, ${m.extra?.loops ?? 'n/a'} loops found`} (target: under 300 MB)`);
    }
    lines.push(`- loops found by analyze: ${analyzePcap.extra?.loops ?? 'n/a'} (generated: ${pcap.loops.length}) in pcap, ${analyzeNg.extra?.loops ?? 'n/a'} (generated: ${pcapng.loops.length}) in pcapng`);
    lines.push('');
    const text = lines.join('\n');
    const notesStart = existsSync(values.out!) ? readFileSync(values.out!, 'utf8').indexOf(NOTES_HEADING) : -1;
    // The hand-written notes below the generated part (profiles, what was changed) survive a new run.
    const notes = notesStart >= 0 ? readFileSync(values.out!, 'utf8').slice(notesStart) : '';
    mkdirSync(dirname(resolve(values.out!)), { recursive: true });
    writeFileSync(values.out!, text + (notes ? '\n' + notes : ''));
    process.stdout.write(text + '\n');
    if (values.check) {
      const failed = results.filter((m) => m.error && m.stage !== 'tshark').map((m) => `${m.label} (${m.files.join(', ')}): ${m.error}`);
      for (const [m, gen] of [[analyzePcap, pcap], [analyzeNg, pcapng], [analyzePcap1, pcap], [analyzeNg1, pcapng]] as const) {
        if (m.extra?.loops !== gen.loops.length) failed.push(`${m.label} on ${gen.path}: ${m.extra?.loops ?? 'no'} loops found, ${gen.loops.length} generated`);
      }
      if (failed.length) {
        process.stderr.write(`bench --check failed:\n  ${failed.join('\n  ')}\n`);
        process.exitCode = 1;
      }
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Heading of the hand-written part of results.md, kept across runs. */
const NOTES_HEADING = '## Profiles and changes';

const stageIdx = process.argv.indexOf('--stage');
const neighbourIdx = process.argv.indexOf('--neighbour');
if (neighbourIdx >= 0) {
  neighbourLoop(Number(process.argv[neighbourIdx + 1]));
} else if (stageIdx >= 0) {
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
