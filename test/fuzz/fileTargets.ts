/**
 * Fuzz targets that go through the file system like the product does: the streaming capture reader with a random
 * chunk size (records cut at every kind of chunk boundary), the streaming log reader, and `analyze()` end to end
 * (classification, detectors, impact, correlation, Report assembly) on a small set of mutated files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Ajv from 'ajv';
import { analyze } from '../../src/core/analyze';
import { readCaptureBytes, readCaptureFile } from '../../src/core/capture/open';
import { isGzip } from '../../src/core/capture/sniff';
import { readLogFile } from '../../src/core/logs/read';
import { unpackFiles } from './bundle';
import { repoRoot } from './seeds';

/** A gzip stream that inflates without error: then both readers see the same decompressed bytes and must agree. */
function gzipIntact(bytes: Uint8Array): boolean {
  try {
    gunzipSync(bytes);
    return true;
  } catch {
    return false;
  }
}

function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'il-fuzz-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * The file reader must deliver exactly the records that the in-memory reader does, whatever the chunk size
 * (the parser's window carries a record cut by a chunk boundary over to the next read).
 */
export function runCaptureFile(bytes: Uint8Array, chunkSize: number): Promise<{ frames: number }> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'input.pcapng');
    writeFileSync(path, bytes);
    const fromFile: number[] = [];
    const s = await readCaptureFile(path, (f) => fromFile.push(f.fileOffset, f.capLen), { chunkSize });
    const inMemory: number[] = [];
    const m = readCaptureBytes(bytes, path, (f) => inMemory.push(f.fileOffset, f.capLen));
    if (!isGzip(bytes) || gzipIntact(bytes)) {
      if (fromFile.length !== inMemory.length || fromFile.some((v, i) => v !== inMemory[i])) {
        throw new Error(`chunk size ${chunkSize}: file reader gave ${fromFile.length / 2} records, in-memory reader ${inMemory.length / 2}` +
          ` (first difference at record ${fromFile.findIndex((v, i) => v !== inMemory[i]) >> 1})`);
      }
      const fatal = (ps: typeof s.problems): string => ps.filter((p) => p.fatal).map((p) => `${p.byteOffset}: ${p.reason}`).join('; ');
      if (fatal(s.problems) !== fatal(m.problems)) {
        throw new Error(`chunk size ${chunkSize}: file reader stopped with [${fatal(s.problems)}], in-memory reader with [${fatal(m.problems)}]`);
      }
    }
    for (const p of s.problems) if (!p.reason || !Number.isInteger(p.byteOffset) || p.byteOffset < 0) throw new Error(`problem without a place: ${JSON.stringify(p)}`);
    return { frames: fromFile.length / 2 };
  });
}

export function runLogFile(bytes: Uint8Array): Promise<{ events: number }> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'input.log');
    writeFileSync(path, bytes);
    const r = await readLogFile(path);
    for (const e of r.events) if (!Number.isFinite(e.timeUs)) throw new Error(`event with non-finite time from line ${e.source.line}`);
    for (const p of r.summary.problems) if (!p.message) throw new Error(`log problem without a message: ${JSON.stringify(p)}`);
    return { events: r.events.length };
  });
}

let validate: ((report: unknown) => boolean) & { errors?: unknown } | undefined;

/** analyze() on a bundle of files (see bundle.ts); the Report must serialise and validate against docs/report.schema.json. */
export function runAnalyze(bundle: Uint8Array): Promise<{ loops: number; events: number }> {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'docs', 'report.schema.json'), 'utf8')));
  }
  const check = validate;
  return withTempDir(async (dir) => {
    for (const f of unpackFiles(bundle)) writeFileSync(join(dir, basename(f.name)), f.bytes);
    const report = await analyze({ paths: [dir] });
    const json = JSON.parse(JSON.stringify(report)) as unknown;
    if (!check(json)) throw new Error(`Report does not validate: ${JSON.stringify(check.errors).slice(0, 500)}`);
    return { loops: report.loops.length, events: report.events.length };
  });
}
