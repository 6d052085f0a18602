/**
 * Frame-level conformance of the capture reader against tshark 4.0 over EVERY capture of the corpus:
 * packet count, frame.number, frame.section_number, frame.interface_id, frame.time_epoch, frame.len,
 * frame.cap_len, and for damaged files the byte offset and reason of the structural error.
 * Each corpus README quirk that makes a tshark cell incomparable is handled below, by name, with its reason:
 * 1 (custom blocks), 2 (SPB times), 3 (sub-second artifacts), 10 (tshark stopping early), 11 (MIME fallback),
 * 12 (LinkType bits) and 13 (caplen > snaplen/len, read as stored). Quirks 4-9 concern decoded-layer columns,
 * which the decoder's conformance test compares.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureBytes, readCaptureFile } from '../../../src/core/capture/open';
import type { CaptureSummary } from '../../../src/core/capture/types';
import {
  Agreement, CORPUS_DIR, CORPUS_MISSING_MESSAGE, corpusAvailable, corpusEntries, derivedEdits, epochText, expectedFrames,
  tsharkStderr, type CorpusEntry, type TsvRow,
} from '../../helpers/corpus';

interface ReadFrame {
  number: number;
  section: number;
  interfaceId: number;
  time: string | null;
  origLen: number;
  capLen: number;
  fileOffset: number;
}

async function readAll(file: string): Promise<{ frames: ReadFrame[]; summary: CaptureSummary }> {
  const frames: ReadFrame[] = [];
  const summary = await readCaptureFile(file, (f) => frames.push({
    number: f.number, section: f.section, interfaceId: f.interfaceId,
    time: f.hasTime ? epochText(f.timeSec, f.timeNsec) : null, origLen: f.origLen, capLen: f.capLen, fileOffset: f.fileOffset,
  }));
  return { frames, summary };
}

/**
 * Why tshark stopped early (quirk 10), decided from its stderr, and what the reader does in that case.
 * - 'same-stop': the reader refuses the same thing tshark refuses (an unsupported pcap/pcapng version, a non-zero
 *   LinkType reserved field): it delivers exactly tshark's frames and reports a fatal problem.
 * - 'link-type': tshark 4.0 refuses a whole file whose link type it has no dissector for (281, 132); reading the
 *   records is not the reader's business to refuse, so it delivers every record (the MANIFEST count), and the
 *   decoder later says "link type N not decoded".
 * - 'damage': a structural error; the reader stops at the same record as tshark (MANIFEST count).
 */
function earlyStop(entry: CorpusEntry): 'none' | 'same-stop' | 'link-type' | 'damage' {
  if (entry.tsharkExit === 0) return 'none';
  const err = tsharkStderr(entry);
  if (/unknown SHB version|major version \d+ unsupported|reserved field not zero/.test(err)) return 'same-stop';
  if (/network type \d+ unknown or unsupported/.test(err)) return 'link-type';
  if (/cut short|damaged or corrupt/.test(err)) return 'damage';
  throw new Error(`${entry.file}: tshark failed for a reason this test does not know: ${err}`);
}

/** tshark rows that describe packet records, with each record's frame.number as if custom blocks did not count. */
function packetRows(entry: CorpusEntry): TsvRow[] {
  const { rows } = expectedFrames(entry);
  // Quirk 11: tshark did not recognise a truncated SHB as pcapng and read the file as one MIME pseudo-frame
  // (encap 134). That frame is not a packet record; the reader reports a truncated SHB instead.
  if (entry.tsharkFileType === 'mime') return [];
  const out: TsvRow[] = [];
  let customBlocks = 0;
  for (const row of rows) {
    // Quirk 1: custom blocks are tshark frames (frame.cb_pen set) that shift frame.number; they are not packets.
    if (row['frame.cb_pen']) {
      customBlocks++;
      continue;
    }
    out.push({ ...row, 'frame.number': String(Number(row['frame.number']) - customBlocks) });
  }
  return out;
}

/** Quirk 3: tcpdump's timestamp_invalid_* files have sub-second fields out of range; tshark prints garbage for them. */
const INVALID_SUBSECOND_FILES = new Set(['tcpdump/timestamp_invalid_micro.pcap', 'tcpdump/timestamp_invalid_nano.pcap']);

/** Record header offsets of a classic pcap, walked independently of the reader: 24-byte header, 16 + incl_len per record. */
function pcapRecordOffset(file: string, recordNo: number): number {
  const b = readFileSync(file);
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  let at = 24;
  for (let k = 1; k < recordNo; k++) at += 16 + (le ? b.readUInt32LE(at + 8) : b.readUInt32BE(at + 8));
  return at;
}

/** Where the MANIFEST's structure_problem places the damage: "X at offset N", "record K: ...", "file header ...". */
function expectedProblemOffset(entry: CorpusEntry): number {
  const p = entry.structureProblem;
  const at = /at offset (\d+)/.exec(p);
  if (at) return Number(at[1]);
  const rec = /^record (\d+):/.exec(p);
  if (rec) return pcapRecordOffset(entry.path, Number(rec[1]));
  if (/^file header/.test(p)) return 0;
  throw new Error(`${entry.file}: cannot place structure_problem "${p}"`);
}

/** The observed numbers the MANIFEST names (lengths, counts, record numbers) - the offset itself excluded. */
function problemNumbers(entry: CorpusEntry): string[] {
  return entry.structureProblem.replace(/at offset \d+/, '').match(/\d+/g) ?? [];
}

/**
 * DERIVED.json names the file offsets it edited (a length field, a trailing length, a block). Each must lie in the
 * record/block the reader blames: from the problem's offset up to the next packet record of the intact base file.
 */
function derivedOffsetsOutside(entry: CorpusEntry, problemOffset: number): number[] {
  const edit = derivedEdits().find((d) => d.file === entry.file);
  if (!edit) throw new Error(`${entry.file} is not in DERIVED.json`);
  const named = [...edit.how.matchAll(/offset (\d+)/g)].map((m) => Number(m[1]));
  const base = readFileSync(path.join(CORPUS_DIR, edit.base));
  const offsets: number[] = [];
  readCaptureBytes(base, edit.base, (f) => offsets.push(f.fileOffset));
  const unitEnd = offsets.find((o) => o > problemOffset) ?? base.length;
  return named.filter((o) => o < problemOffset || o >= unitEnd);
}

const agreement = new Agreement();
const COLUMNS = ['frame.number', 'frame.section_number', 'frame.interface_id', 'frame.time_epoch', 'frame.len', 'frame.cap_len'] as const;

describe('capture reader vs tshark: frame columns over the whole corpus', function () {
  if (!corpusAvailable()) {
    it('needs the corpus', function () {
      console.log(`      ${CORPUS_MISSING_MESSAGE}`);
      this.skip();
    });
    return;
  }
  const entries = corpusEntries();

  after(function () {
    console.log(`\n      Frame-column agreement with tshark over ${entries.length} captures:\n`);
    console.log(agreement.table().replace(/^/gm, '      '));
  });

  for (const entry of entries) {
    it(entry.file, async function () {
      const { frames, summary } = await readAll(entry.path);
      const stop = earlyStop(entry);
      const rows = packetRows(entry);
      const fatal = summary.problems.filter((p) => p.fatal);

      // Packet count. MANIFEST `packets` = EPB+SPB+PB found by an independent walk, custom blocks excluded (quirk 1).
      const expectedCount = stop === 'same-stop' ? rows.length : entry.packets;
      agreement.record('packet count', frames.length === expectedCount);
      assert.equal(frames.length, expectedCount, `packet count (${stop})`);
      // tshark's rows are the frames it produced; when it refused the link type it produced none (quirk 10).
      if (stop !== 'link-type') assert.equal(rows.length, frames.length, 'tshark rows after removing custom blocks');

      // Link types: MANIFEST `link_types` lists the pcap LinkType & 0xFFFF (raw field in brackets when upper bits are
      // set), or the distinct pcapng IDB link types in IDB order. Not comparable when the reader refused the header.
      if (stop !== 'same-stop') {
        const expectedTypes = entry.raw.link_types!.replace(/ \(field 0x[0-9a-f]+\)/g, '');
        const ours = [...new Set(summary.interfaces.map((i) => i.linkType))].join(',');
        agreement.record('link type (MANIFEST)', ours === expectedTypes);
        assert.equal(ours, expectedTypes, 'link types');
      }

      const invalidTimes = new Set(
        INVALID_SUBSECOND_FILES.has(entry.file)
          ? summary.problems.filter((p) => /sub-second field \d+ is out of range/.test(p.reason)).map((p) => p.byteOffset)
          : [],
      );
      const pcapng = entry.format === 'pcapng';
      const mismatches: string[] = [];
      rows.forEach((row, i) => {
        const f = frames[i]!;
        const ours: Record<(typeof COLUMNS)[number], string> = {
          'frame.number': String(f.number),
          // pcap has no sections or interfaces: tshark leaves both cells empty.
          'frame.section_number': pcapng ? String(f.section) : '',
          'frame.interface_id': pcapng ? String(f.interfaceId) : '',
          // Quirk 2: Simple Packet Blocks carry no timestamp; tshark leaves the cell empty.
          'frame.time_epoch': f.time ?? '',
          'frame.len': String(f.origLen),
          'frame.cap_len': String(f.capLen),
        };
        for (const col of COLUMNS) {
          // Quirk 3: a sub-second field out of range is printed by tshark as an artifact (10 fraction digits,
          // a minus sign, or a wrapped value). The reader carries the excess into the seconds and warns; the
          // normalisation itself is checked by a unit test in pcap.test.ts.
          if (col === 'frame.time_epoch' && invalidTimes.has(f.fileOffset)) {
            agreement.record(col, false, true);
            continue;
          }
          const ok = ours[col] === row[col];
          agreement.record(col, ok);
          if (!ok) mismatches.push(`frame ${i + 1} ${col}: ours ${ours[col]} tshark ${row[col]}`);
        }
      });
      assert.deepEqual(mismatches, []);

      // Damage: the first fatal problem is where the independent walk found the structural error, and its
      // message carries the observed numbers the walk names.
      if (entry.structureProblem) {
        const first = fatal[0];
        assert.ok(first, `expected a fatal problem like "${entry.structureProblem}"`);
        const offsetOk = first.byteOffset === expectedProblemOffset(entry);
        const missing = problemNumbers(entry).filter((n) => !new RegExp(`\\b${n}\\b`).test(first.reason));
        agreement.record('damage offset', offsetOk);
        agreement.record('damage reason numbers', missing.length === 0);
        assert.ok(offsetOk, `offset ${first.byteOffset}, expected ${expectedProblemOffset(entry)} (${entry.structureProblem})`);
        assert.deepEqual(missing, [], `reason "${first.reason}" lacks numbers of "${entry.structureProblem}"`);
        assert.equal(fatal.length, 1, 'one fatal problem');
        if (entry.derived) {
          const outside = derivedOffsetsOutside(entry, first.byteOffset);
          agreement.record('damage offset vs DERIVED.json', outside.length === 0);
          assert.deepEqual(outside, [], 'offsets DERIVED.json names lie in the blamed record/block');
        }
      } else if (stop === 'same-stop') {
        assert.equal(fatal.length, 1, 'the refusal is reported');
        assert.match(fatal[0]!.reason, /version|reserved/);
      } else {
        assert.deepEqual(fatal, [], 'no fatal problem in an undamaged file');
      }
    });
  }
});
