/**
 * Chunking must not change anything: whatever sizes the file arrives in (1 byte, 7, 64, random splits, one
 * piece), the frames, their bytes and offsets, and the problems are identical. Runs over the corpus captures,
 * the damaged ones included, so cuts land inside headers, options and packet data.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readCaptureBytes, readCaptureChunks, readCaptureFile } from '../../../src/core/capture/open';
import type { CaptureSummary, Frame } from '../../../src/core/capture/types';
import { CORPUS_MISSING_MESSAGE, corpusAvailable, corpusEntries, type CorpusEntry } from '../../helpers/corpus';

/** Everything observable about a read, as plain data (frames are reused by the reader, so copy). */
interface Observed {
  frames: string[];
  problems: string[];
  packets: number;
  sections: number;
  interfaces: number;
  skippedBlocks: number;
}

function collector(): { onFrame: (f: Frame) => void; finish: (s: CaptureSummary) => Observed } {
  const frames: string[] = [];
  return {
    onFrame: (f) => frames.push(`${f.number} ${f.section}/${f.interfaceId} lt${f.linkType} ${f.hasTime ? `${f.timeSec}.${f.timeNsec}` : '-'} ` +
      `${f.origLen}/${f.capLen} @${f.fileOffset} ${Buffer.from(f.data).toString('hex')}`),
    finish: (s) => ({
      frames,
      problems: s.problems.map((p) => `${p.byteOffset} ${p.fatal} ${p.reason}`),
      packets: s.packets, sections: s.sections, interfaces: s.interfaces.length, skippedBlocks: s.skippedBlocks,
    }),
  };
}

function inMemory(bytes: Uint8Array): Observed {
  const c = collector();
  return c.finish(readCaptureBytes(bytes, 'x', c.onFrame));
}

function inChunks(bytes: Uint8Array, cuts: number[]): Observed {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(prev, p));
    prev = p;
  }
  const c = collector();
  return c.finish(readCaptureChunks(chunks, 'x', bytes.length, c.onFrame));
}

async function fromFile(path: string, chunkSize: number): Promise<Observed> {
  const c = collector();
  return c.finish(await readCaptureFile(path, c.onFrame, { chunkSize }));
}

describe('capture reader: chunk sizes do not change the result', function () {
  // Byte-at-a-time reads of every capture: CPU-bound, and the machine may be shared.
  this.timeout(120_000);
  if (!corpusAvailable()) {
    it('needs the corpus', function () {
      console.log(`      ${CORPUS_MISSING_MESSAGE}`);
      this.skip();
    });
    return;
  }
  const entries = corpusEntries();
  const bytesOf = new Map<string, Buffer>(entries.map((e) => [e.file, readFileSync(e.path)]));
  const reference = new Map<string, Observed>();
  const ref = (e: CorpusEntry): Observed => {
    let r = reference.get(e.file);
    if (!r) reference.set(e.file, (r = inMemory(bytesOf.get(e.file)!)));
    return r;
  };

  it('splitting the bytes anywhere (in memory, random cut points) gives the same frames and problems', function () {
    fc.assert(
      fc.property(fc.constantFrom(...entries), fc.array(fc.nat(), { maxLength: 40 }), (e, cuts) => {
        assert.deepEqual(inChunks(bytesOf.get(e.file)!, cuts), ref(e));
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it('every corpus capture read 1 byte at a time from memory equals one piece', function () {
    for (const e of entries) {
      const b = bytesOf.get(e.file)!;
      const cuts = Array.from({ length: b.length }, (_, i) => i);
      assert.deepEqual(inChunks(b, cuts), ref(e), e.file);
    }
  });

  // The file reader proper (FileHandle reads into the window). Tiny chunks on big files would mean hundreds of
  // thousands of reads, so the chunk is raised to keep a file under ~20,000 reads.
  const bounded = (size: number, chunk: number): number => Math.max(chunk, Math.ceil(size / 20000));

  for (const chunk of [1, 7, 64]) {
    it(`reading files in ${chunk}-byte chunks equals one piece (derived damaged files and one capture per kind)`, async function () {
      const picks = entries.filter((e) => e.derived || /test202|nanosecs_big_endian|isup|gap-data-missing|test902|time_2107/.test(e.file));
      assert.ok(picks.length >= 18);
      for (const e of picks) assert.deepEqual(await fromFile(e.path, bounded(e.size, chunk)), ref(e), e.file);
    });
  }

  it('any chunk size on any capture (file reader, property)', async function () {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...entries), fc.integer({ min: 1, max: 70000 }), async (e, chunk) => {
        assert.deepEqual(await fromFile(e.path, bounded(e.size, chunk)), ref(e));
      }),
      { numRuns: 120, seed: 4_2026 },
    );
  });
});
