/**
 * `npm run fuzz [-- --seconds 600 --seed 1]`: a mutation fuzzer over the capture reader + decoder and the log parsers.
 * Each input runs in a worker thread with a time bound (a hang) and a heap bound (an allocation driven by an untrusted
 * length); a throw, a hang or an out-of-memory is a finding, saved under test/fixtures/fuzz/ where the regression test
 * replays it forever after. Exit status 1 when something was found.
 */
import { seededRandom } from '../../src/core/correlate/random';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { packFiles } from './bundle';
import { craftedCaptures, craftedLogs, mutateBytes, mutateLog, scatterFlips, type Rng } from './mutate';
import { captureSeeds, corpusRoot, labSeeds, logSeeds, repoRoot } from './seeds';
import { Runner, type Outcome } from './runner';
import { FUZZ_CUSTOM_FORMATS, type TargetName } from './targets';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});
const seconds = Number(values.seconds);
const timeoutMs = Number(values['timeout-ms']);
const seed = Number(values.seed);
const findingsDir = join(repoRoot, 'test', 'fixtures', 'fuzz');


function save(target: TargetName, bytes: Uint8Array, param: number, o: Outcome, origin: string): string {
  mkdirSync(findingsDir, { recursive: true });
  const h = createHash('sha1').update(bytes).digest('hex').slice(0, 12);
  const base = join(findingsDir, `${target}-${o.kind}-${h}`);
  if (!existsSync(`${base}.bin`)) {
    writeFileSync(`${base}.bin`, bytes);
    // Paths in the origin relative to the repository (and the corpus), so a saved finding reads the same anywhere.
    const where = origin.split(`${repoRoot}/`).join('').split(`${corpusRoot}/`).join('corpus/');
    writeFileSync(`${base}.json`, JSON.stringify({ target, param, kind: o.kind, origin: where, error: o.error, foundAt: new Date().toISOString() }, null, 2) + '\n');
  }
  return `${base}.bin`;
}

/** Text that makes backtracking engines work hardest: a timestamp, then a long run that almost matches. */
function regexBait(rng: Rng): Uint8Array {
  const n = 20 + Math.floor(rng() * 60);
  const run = rng() < 0.5 ? 'a'.repeat(n) : Array.from({ length: n }, (_, i) => (i % 3 === 2 ? ' ' : 'w')).join('');
  return Buffer.from(`\n${1795595760 + Math.floor(rng() * 1000)} ${run}!\n2026-11-25T08:35:40Z ${run}b\n`);
}

/** Chunk sizes that cut records everywhere: 1 byte, a few bytes, around a block header, and ordinary reads. */
function pickChunk(rng: Rng): number {
  const r = rng();
  if (r < 0.3) return 1 + Math.floor(rng() * 16);
  if (r < 0.8) return 17 + Math.floor(rng() * 4000);
  return 65536;
}

async function main(): Promise<void> {
  const rng: Rng = seededRandom(seed);
  const caps = captureSeeds();
  const logs = logSeeds();
  const labs = labSeeds();
  if (caps.length === 0) throw new Error('no capture seeds found (../shared/corpus missing?)');
  const runner = new Runner(timeoutMs);
  const deadline = Date.now() + seconds * 1000;
  const stats = { inputs: 0, capture: 0, log: 0, captureFile: 0, logFile: 0, analyze: 0, findings: 0, slowestMs: 0, slowest: '' };
  const findings: string[] = [];
  const one = async (target: TargetName, bytes: Uint8Array, origin: string, param = 0): Promise<void> => {
    const o = await runner.run(target, bytes, param);
    stats.inputs++;
    stats[target]++;
    if (o.ms > stats.slowestMs) {
      stats.slowestMs = o.ms;
      stats.slowest = origin;
    }
    if (!o.ok) {
      stats.findings++;
      const f = save(target, bytes, param, o, origin);
      findings.push(`${o.kind}: ${origin} -> ${f}\n    ${o.error?.split('\n').slice(0, 3).join('\n    ')}`);
    }
  };
  process.stderr.write(`fuzz: seed ${seed}, ${seconds} s, ${caps.length} capture seeds, ${logs.length} log seeds, ${labs.length} lab scenarios\n`);
  // 1. Crafted extremes, once.
  for (const c of craftedCaptures()) await one('capture', c.bytes, `crafted:${c.name}`);
  for (const c of craftedLogs()) await one('log', c.bytes, `crafted:${c.name}`);
  // 2. Truncation at every position of the smallest seeds of each format.
  const smallest = [...caps].sort((a, b) => a.bytes.length - b.bytes.length);
  const pcapSeed = smallest.find((s) => s.bytes.length > 40 && s.bytes[0] !== 0x0a);
  const ngSeed = smallest.find((s) => s.bytes.length > 40 && s.bytes[0] === 0x0a);
  for (const s of [pcapSeed, ngSeed]) {
    if (!s) continue;
    for (let cut = 0; cut <= s.bytes.length && Date.now() < deadline; cut++) await one('capture', s.bytes.subarray(0, cut), `truncate:${s.name}@${cut}`);
  }
  // 3. Random mutations until the time is up.
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    const dice = rng();
    if (dice < 0.08 && labs.length > 0) {
      // analyze() end to end on a lab scenario: its capture with odd packets (or cut, or a damaged record), one log damaged.
      const lab = labs[Math.floor(rng() * labs.length)];
      const victim = Math.floor(rng() * lab.files.length);
      const files = lab.files.map((f, i) => {
        if (/\.pcapng?$/.test(f.name)) {
          const flipped = scatterFlips(rng, f.bytes, Math.floor(rng() ** 3 * 400));
          const bytes = rng() < 0.5 ? mutateBytes(rng, flipped, f.bytes) : flipped;
          return rng() < 0.1 ? { name: `${f.name}.gz`, bytes: gzipSync(bytes) } : { name: f.name, bytes };
        }
        return i === victim ? { name: f.name, bytes: mutateLog(rng, f.bytes, f.bytes) } : f;
      });
      await one('analyze', packFiles(files), `analyze:${lab.name}`);
    } else if (dice < 0.18) {
      // The streaming reader, records cut at chunk boundaries of every size.
      const a = caps[Math.floor(rng() * caps.length)];
      const chunk = pickChunk(rng);
      const mutated = mutateBytes(rng, a.bytes, caps[Math.floor(rng() * caps.length)].bytes);
      // Sometimes gzip'd (a rotated capture.pcap.gz), and then sometimes the compressed stream itself damaged.
      const z = rng();
      const bytes = z < 0.1 ? mutateBytes(rng, gzipSync(mutated), mutated) : z < 0.25 ? gzipSync(mutated) : mutated;
      await one('captureFile', bytes, `file:${a.name}/chunk ${chunk}${z < 0.25 ? '/gzip' : ''}`, chunk);
    } else if (dice < 0.22 && logs.length > 0) {
      const a = logs[Math.floor(rng() * logs.length)];
      await one('logFile', mutateLog(rng, a.bytes, logs[Math.floor(rng() * logs.length)].bytes), `file:${a.name}`);
    } else if (dice < 0.45 && logs.length > 0) {
      const a = logs[Math.floor(rng() * logs.length)];
      const b = logs[Math.floor(rng() * logs.length)];
      // A quarter of the log inputs are read with a custom format too, some with backtracking-prone patterns, and
      // lines shaped for them (runs of a's, words, digits) spliced in.
      const custom = rng() < 0.25 ? 1 + Math.floor(rng() * FUZZ_CUSTOM_FORMATS.length) : 0;
      const bytes = custom ? mutateLog(rng, a.bytes, regexBait(rng)) : mutateLog(rng, a.bytes, b.bytes);
      await one('log', bytes, `mutate:${a.name}${custom ? ` custom ${FUZZ_CUSTOM_FORMATS[custom - 1]!.name}` : ''}`, custom);
    } else {
      const a = caps[Math.floor(rng() * caps.length)];
      const b = caps[Math.floor(rng() * caps.length)];
      await one('capture', mutateBytes(rng, a.bytes, b.bytes), `mutate:${a.name}`);
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      process.stderr.write(`fuzz: ${stats.inputs} inputs, ${stats.findings} findings\n`);
    }
  }
  await runner.stop();
  const rate = stats.inputs / seconds;
  process.stdout.write(
    `fuzz: ${stats.inputs} inputs in ${seconds} s (${rate.toFixed(0)}/s; ${stats.capture} capture, ${stats.log} log, ` +
      `${stats.captureFile} capture file, ${stats.logFile} log file, ${stats.analyze} analyze), seed ${seed}, ${stats.findings} findings; slowest input ${stats.slowestMs.toFixed(0)} ms (${stats.slowest})\n`,
  );
  for (const f of findings) process.stdout.write(`  ${f}\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
