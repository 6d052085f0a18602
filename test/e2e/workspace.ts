/**
 * The folder the end-to-end tests open in VS Code: a copy of the bundled sample (capture and logs), one damaged
 * capture from the shared corpus, and a large generated capture to cancel. Built in a temporary directory so the
 * repository is never written to; the expected values come from the files' own records (the lab's truth, the
 * corpus' description of each damage), not from the extension.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { CORPUS_DIR as CORPUS_ROOT } from '../helpers/corpus';
import { repoRoot } from './codeServer';

export const SAMPLE_DIR = join(repoRoot, 'media', 'samples', 'incident');
export const SAMPLE_CAPTURE = 'core-access.pcapng';
/** Measured independently of the product by the lab run that recorded the sample (media/samples/README.md). */
const SAMPLE_TRUTH = join(repoRoot, 'test', 'fixtures', 'lab', 'frr', 'truth.json');
/** The shared conformance corpus' damaged-on-purpose captures (INCIDENT_LENS_CORPUS moves it, as for the conformance tests). */
const CORPUS_DIR = join(CORPUS_ROOT, 'derived');
export const DAMAGED_CAPTURE = 'pcapng-cut-mid-epb.pcapng';
export const LONG_CAPTURE = 'long-analysis.pcapng';
/**
 * Large enough that the analysis is still running when the test cancels it: the core reads 300 MiB in about
 * 2 s on a quiet machine (too quick to catch reliably), 1 GiB takes several seconds. Written in ~10 s.
 */
const LONG_CAPTURE_BYTES = 1 << 30;

export interface SampleTruth {
  loops: number;
  ttlStep: number;
}

export interface E2eWorkspace {
  dir: string;
  truth: SampleTruth;
  /** Where the damaged capture is cut, from the corpus' own description of it. */
  damagedOffset: number;
  /** 1-based line of the first "%ADJCHANGE ... Down" in access-bgpd.log. */
  peerDownLine: number;
  dispose(): void;
}

function sampleTruth(): SampleTruth {
  const t = JSON.parse(readFileSync(SAMPLE_TRUTH, 'utf8')) as { expectedTtlStep: number; restarts: { loop?: string }[] };
  return { loops: t.restarts.filter((r) => r.loop).length, ttlStep: t.expectedTtlStep };
}

/** Copies the corpus' damaged capture into `dir`; returns where it is cut, from the corpus' own description. */
function copyCorpusDamage(dir: string): number {
  const derived = JSON.parse(readFileSync(join(CORPUS_DIR, 'DERIVED.json'), 'utf8')) as { file: string; how: string }[];
  const entry = derived.find((d) => d.file.endsWith(`/${DAMAGED_CAPTURE}`));
  const m = entry && /block at offset (\d+)/.exec(entry.how);
  if (!m) throw new Error(`${CORPUS_DIR}/DERIVED.json does not say where ${DAMAGED_CAPTURE} is cut`);
  copyFileSync(join(CORPUS_DIR, DAMAGED_CAPTURE), join(dir, DAMAGED_CAPTURE));
  return Number(m[1]);
}

/**
 * Without the corpus (it is not part of the repository): the same damage made here, the sample capture cut
 * halfway through its 10th Enhanced Packet Block. The cut is found by walking the pcapng block headers
 * (type, total length), nothing more; returns the offset of the cut block.
 */
function cutSampleCapture(dir: string): number {
  const buf = readFileSync(join(SAMPLE_DIR, SAMPLE_CAPTURE));
  const le = buf.readUInt32LE(8) === 0x1a2b3c4d;
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  let epbs = 0;
  for (let at = 0; at + 8 <= buf.length; at += u32(at + 4)) {
    if (u32(at) === 6 && ++epbs === 10) {
      writeFileSync(join(dir, DAMAGED_CAPTURE), buf.subarray(0, at + Math.floor(u32(at + 4) / 2)));
      return at;
    }
  }
  throw new Error(`${SAMPLE_CAPTURE} has fewer than 10 Enhanced Packet Blocks`);
}

export function prepareWorkspace(): E2eWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'il-e2e-ws-'));
  for (const f of readdirSync(SAMPLE_DIR)) copyFileSync(join(SAMPLE_DIR, f), join(dir, f));
  let damagedOffset: number;
  if (existsSync(join(CORPUS_DIR, 'DERIVED.json'))) damagedOffset = copyCorpusDamage(dir);
  else {
    console.log(`      (no corpus at ${CORPUS_DIR}: ${DAMAGED_CAPTURE} is the sample capture cut mid-block instead)`);
    damagedOffset = cutSampleCapture(dir);
  }
  generateCapture(join(dir, LONG_CAPTURE), 'pcapng', LONG_CAPTURE_BYTES, 1);
  const bgpd = readFileSync(join(dir, 'access-bgpd.log'), 'utf8').split('\n');
  const peerDownLine = bgpd.findIndex((l) => /%ADJCHANGE: neighbor .* Down/.test(l)) + 1;
  if (peerDownLine < 1) throw new Error('access-bgpd.log of the sample has no "%ADJCHANGE ... Down" line');
  return { dir, truth: sampleTruth(), damagedOffset, peerDownLine, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
