/**
 * Access to the tshark-oracle conformance corpus (../shared/corpus, described by its README.md): the list of
 * captures (MANIFEST.tsv), each capture's expected per-frame facts (`<capture>.expected.tsv`), tshark's stderr and
 * the derived (damaged on purpose) files. Shared by every conformance test; tests skip with a clear message when
 * the corpus is absent, since it is not part of the repository.
 *
 * INCIDENT_LENS_CORPUS=<dir> points the tests at another folder laid out the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file holding package.json. */
export const REPO_ROOT = findUp(__dirname, 'package.json');

function findUp(from: string, marker: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, marker))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${marker} above ${from}`);
  }
}

/** Where the corpus is expected (whether or not it exists). */
export const CORPUS_DIR = process.env.INCIDENT_LENS_CORPUS
  ? path.resolve(process.env.INCIDENT_LENS_CORPUS)
  : path.join(REPO_ROOT, '..', 'shared', 'corpus');

export const CORPUS_MISSING_MESSAGE =
  `conformance corpus not found at ${CORPUS_DIR} (set INCIDENT_LENS_CORPUS or place it at ../shared/corpus): skipped`;

export function corpusAvailable(): boolean {
  return existsSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'));
}

/** For mocha hooks and tests: `skipWithoutCorpus(this)` skips (with the reason in the output) when there is no corpus. */
export function skipWithoutCorpus(ctx: Mocha.Context): void {
  if (!corpusAvailable()) {
    // Mocha prints skipped tests as "pending"; the title of this message says why.
    console.log(`      ${CORPUS_MISSING_MESSAGE}`);
    ctx.skip();
  }
}

/** One row of a tab-separated file with a header line, keyed by column name; a missing cell reads as ''. */
export type TsvRow = Record<string, string>;

export interface Tsv {
  columns: string[];
  rows: TsvRow[];
}

/** Parses a header + rows TSV (no quoting, as the corpus writes it). */
export function parseTsv(text: string): Tsv {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const columns = (lines.shift() ?? '').split('\t');
  const rows = lines.map((line) => {
    const cells = line.split('\t');
    const row: TsvRow = {};
    columns.forEach((c, i) => (row[c] = cells[i] ?? ''));
    return row;
  });
  return { columns, rows };
}

/** MANIFEST.tsv columns the tests use, typed; every other column stays available in `raw`. */
export interface CorpusEntry {
  /** Path relative to the corpus folder, e.g. `zeek/tunnels/vxlan.pcap`. */
  file: string;
  /** Absolute path of the capture. */
  path: string;
  size: number;
  /** 'pcap' | 'pcapng' (by magic number, per the MANIFEST). */
  format: string;
  /** Packet records (pcap records / EPB+SPB+PB) found by the corpus's independent structure walk. */
  packets: number;
  tsharkFrames: number;
  tsharkExit: number;
  /** capinfos short name ('pcap', 'nsecpcap', 'pcapng', 'mime'), '' when capinfos failed. */
  tsharkFileType: string;
  /** First structural error found by the walk ('' for none), e.g. `EPB at offset 724: trailing length 112 != 104`. */
  structureProblem: string;
  derived: boolean;
  raw: TsvRow;
}

let manifestCache: CorpusEntry[] | null = null;

/** Every capture in the corpus, in MANIFEST order. */
export function corpusEntries(): CorpusEntry[] {
  if (manifestCache) return manifestCache;
  const { rows } = parseTsv(readFileSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8'));
  manifestCache = rows.map((raw) => ({
    file: raw.file!,
    path: path.join(CORPUS_DIR, raw.file!),
    size: Number(raw.size),
    format: raw.format ?? '',
    packets: Number(raw.packets || 0),
    tsharkFrames: Number(raw.tshark_frames || 0),
    tsharkExit: Number(raw.tshark_exit || 0),
    tsharkFileType: raw.tshark_file_type ?? '',
    structureProblem: raw.structure_problem ?? '',
    derived: raw.file!.startsWith('derived/'),
    raw,
  }));
  return manifestCache;
}

/** The capture's `<file>.expected.tsv` (tshark's rows, including custom-block rows; see README quirk 1). */
export function expectedFrames(entry: CorpusEntry): Tsv {
  return parseTsv(readFileSync(`${entry.path}.expected.tsv`, 'utf8'));
}

/** tshark's stderr for the capture ('' when it printed nothing). */
export function tsharkStderr(entry: CorpusEntry): string {
  const p = `${entry.path}.tshark-stderr`;
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

export interface DerivedEdit {
  file: string;
  base: string;
  how: string;
}

/** derived/DERIVED.json: how each damaged file was made. */
export function derivedEdits(): DerivedEdit[] {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, 'derived', 'DERIVED.json'), 'utf8')) as DerivedEdit[];
}

/** Formats sec + nsec the way tshark prints frame.time_epoch (9 decimals). */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Per-column agreement counters, printed as a table by the conformance tests. */
export class Agreement {
  private readonly counts = new Map<string, { compared: number; agreed: number; excused: number }>();

  /** Records one comparison; `excused` = a documented quirk made this cell incomparable (not counted as compared). */
  record(column: string, agreed: boolean, excused = false): void {
    let c = this.counts.get(column);
    if (!c) this.counts.set(column, (c = { compared: 0, agreed: 0, excused: 0 }));
    if (excused) c.excused++;
    else {
      c.compared++;
      if (agreed) c.agreed++;
    }
  }

  table(): string {
    const width = Math.max(8, ...[...this.counts.keys()].map((k) => k.length)) + 2;
    const lines = [`${'column'.padEnd(width)}${'agreed / compared'.padEnd(19)}${'%'.padStart(7)}   (excused by a quirk)`];
    for (const [col, c] of this.counts) {
      const pct = c.compared ? ((100 * c.agreed) / c.compared).toFixed(2) : '-';
      lines.push(`${col.padEnd(width)}${`${c.agreed} / ${c.compared}`.padEnd(19)}${pct.padStart(7)}   ${c.excused ? `(${c.excused})` : ''}`);
    }
    return lines.join('\n');
  }

  rate(column: string): number {
    const c = this.counts.get(column);
    return c && c.compared ? c.agreed / c.compared : 1;
  }
}
