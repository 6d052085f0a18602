/**
 * The folder the end-to-end tests open in VS Code: a copy of the bundled sample (capture and logs), one damaged
 * capture from the shared corpus, and a large generated capture to cancel. Built in a temporary directory so the
 * repository is never written to; the expected values come from the files' own records (the lab's truth, the
 * corpus' description of each damage), not from the extension.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { repoRoot } from './codeServer';

export const SAMPLE_DIR = join(repoRoot, 'media', 'samples', 'incident');
export const SAMPLE_CAPTURE = 'core-access.pcapng';
/** Measured independently of the product by the lab run that recorded the sample (media/samples/README.md). */
const SAMPLE_TRUTH = join(repoRoot, 'test', 'fixtures', 'lab', 'frr', 'truth.json');
const CORPUS_DIR = join(repoRoot, '..', 'shared', 'corpus', 'derived');
export const DAMAGED_CAPTURE = 'pcapng-cut-mid-epb.pcapng';
export const LONG_CAPTURE = 'long-analysis.pcapng';
/** Large enough that reading it takes many seconds even on a fast machine, so a cancel lands mid-way. */
const LONG_CAPTURE_BYTES = 300 << 20;

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

function damagedOffset(): number {
  const derived = JSON.parse(readFileSync(join(CORPUS_DIR, 'DERIVED.json'), 'utf8')) as { file: string; how: string }[];
  const entry = derived.find((d) => d.file.endsWith(`/${DAMAGED_CAPTURE}`));
  const m = entry && /block at offset (\d+)/.exec(entry.how);
  if (!m) throw new Error(`${CORPUS_DIR}/DERIVED.json does not say where ${DAMAGED_CAPTURE} is cut`);
  return Number(m[1]);
}

export function prepareWorkspace(): E2eWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'il-e2e-ws-'));
  for (const f of readdirSync(SAMPLE_DIR)) copyFileSync(join(SAMPLE_DIR, f), join(dir, f));
  copyFileSync(join(CORPUS_DIR, DAMAGED_CAPTURE), join(dir, DAMAGED_CAPTURE));
  generateCapture(join(dir, LONG_CAPTURE), 'pcapng', LONG_CAPTURE_BYTES, 1);
  const bgpd = readFileSync(join(dir, 'access-bgpd.log'), 'utf8').split('\n');
  const peerDownLine = bgpd.findIndex((l) => /%ADJCHANGE: neighbor .* Down/.test(l)) + 1;
  if (peerDownLine < 1) throw new Error('access-bgpd.log of the sample has no "%ADJCHANGE ... Down" line');
  return { dir, truth: sampleTruth(), damagedOffset: damagedOffset(), peerDownLine, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
