/**
 * Log files -> typed, timestamped events (see fileParser.ts for what happens to each line).
 *
 * readLogFile streams the file in chunks and splits lines itself over Buffers (one decode per line, no growing
 * string), so memory stays flat apart from the events kept. Gzip-compressed logs (rotated *.gz) are decompressed
 * on the fly. Binary files are refused with the reason; over-long lines and undecodable lines are skipped with
 * their line number; nothing stops the run except cancellation.
 */
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { CustomLogFormat } from '../model/analysis';
import type { LogEvent } from '../model/events';
import type { LogInputSummary } from '../model/report';
import { LogFileParser } from './fileParser';

export interface LogReadOptions {
  /** Zone for timestamps written without one: IANA name or ±HH:MM; default UTC. */
  timeZone?: string;
  /** Added to every timestamp of the file (a skewed clock), ms. */
  clockOffsetMs?: number;
  /** Year of the file's first year-less line, when the file itself does not tell. */
  year?: number;
  customFormats?: CustomLogFormat[];
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number) => void;
  /** A time the file's last line cannot be after (file mtime, or other inputs), µs: for year inference and relative ages. Default for readLogFile: the file's mtime. */
  referenceTimeUs?: number;
  /** Access-log latency at or above which a line is a slow-response event (ms, default 1000). */
  slowResponseMs?: number;
}

export interface LogReadResult {
  summary: LogInputSummary;
  /** Sorted by time; ids "ev-1"... within this file (analyze renumbers across files). */
  events: LogEvent[];
}

/** Lines longer than this are skipped (with their line number): no log line is legitimately a mebibyte. */
export const MAX_LINE_BYTES = 1 << 20;
const SNIFF_BYTES = 64 * 1024;

/**
 * True when the bytes look like text: no NUL byte, and (nearly) all of it valid UTF-8. A multi-byte character
 * cut at the end of the sample is not held against it.
 */
export function sniffLogFile(head: Uint8Array): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  let bad = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return false;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
    if (b < 0x80) continue;
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    if (len === 0) {
      bad++;
      continue;
    }
    if (i + len > n) break;
    let ok = true;
    for (let k = 1; k < len; k++) if ((head[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) i += len - 1;
    else bad++;
  }
  return bad * 100 <= n && control * 20 <= n;
}

export function parseLogLines(lines: Iterable<string>, name: string, opts: LogReadOptions = {}): LogReadResult {
  const parser = new LogFileParser(name, opts);
  let n = 0;
  let offset = 0;
  let size = 0;
  for (const line of lines) {
    n++;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > MAX_LINE_BYTES) parser.skipLine(n, `longer than ${MAX_LINE_BYTES} bytes (${bytes})`);
    else parser.push(line, n, offset);
    offset += bytes + 1;
    size = offset;
  }
  return parser.finish(size);
}

/** The error a cancelled log read rejects with (name AbortError). */
export function abortError(): Error {
  const e = new Error('log reading cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * Opens a log for reading, refusing what is not a regular file: a FIFO would block the open (O_NONBLOCK avoids
 * that) and, like a device such as /dev/zero, may never end; a directory is not a log.
 */
async function openLogFile(path: string): Promise<FileHandle> {
  const fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory (EISDIR)'), { code: 'EISDIR' });
    if (!st.isFile()) throw Object.assign(new Error('not a regular file (a FIFO, socket or device): not read'), { code: 'ENOTREG' });
  } catch (e) {
    await fh.close();
    throw e;
  }
  return fh;
}

export async function readLogFile(path: string, opts: LogReadOptions = {}): Promise<LogReadResult> {
  const fh = await openLogFile(path);
  try {
    return await readOpenLogFile(fh, path, opts);
  } finally {
    await fh.close();
  }
}

async function readOpenLogFile(fh: FileHandle, path: string, opts: LogReadOptions): Promise<LogReadResult> {
  const st = await fh.stat();
  const options: LogReadOptions = { ...opts };
  if (options.referenceTimeUs === undefined) options.referenceTimeUs = Math.round(st.mtimeMs * 1000);
  const parser = new LogFileParser(path, options);

  const head = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
  await fh.read(head, 0, head.length, 0);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip && !sniffLogFile(head)) {
    const nul = head.indexOf(0);
    parser.problem('error', nul >= 0
      ? `not a text log: NUL byte at byte offset ${nul} (binary file, or UTF-16 text, which is not supported)`
      : 'not a text log: mostly invalid UTF-8 or control bytes in the first 64 KiB', undefined, true);
    return parser.finish(st.size);
  }

  if (st.size === 0) return parser.finish(0);
  // Up to the size it had when opened (a snapshot, as for captures): lines appended meanwhile wait for the next run.
  const raw = fh.createReadStream({ start: 0, end: st.size - 1, highWaterMark: 256 * 1024, autoClose: false });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  let lineNo = 0;
  let lineStart = 0; // byte offset (in the decompressed text) of the current line
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false; // inside an over-long line: drop bytes up to the next newline
  let undecodable = 0;
  let firstUndecodable = 0;
  let done = 0;
  let lastProgress = 0;

  // One string per line, decoded straight from the chunk (no Buffer view per line: that was most of the garbage).
  // (A NUL character in the text is a NUL byte in the file: UTF-8 writes no other character with one.)
  const emit = (text: string, byteLength: number, hasNul: boolean): void => {
    lineNo++;
    const at = lineStart;
    lineStart += byteLength + 1;
    if (hasNul) {
      if (!undecodable++) firstUndecodable = lineNo;
      parser.skipLine(lineNo, 'contains NUL bytes');
      return;
    }
    parser.push(text, lineNo, at);
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw abortError();
      let pos = 0;
      // The chunk's next NUL byte: lines are checked against it rather than searched one by one (NULs are rare).
      let nul = chunk.indexOf(0);
      while (pos < chunk.length) {
        const nl = chunk.indexOf(10, pos);
        const end = nl < 0 ? chunk.length : nl;
        if (skipping) {
          lineStart += end - pos + (nl < 0 ? 0 : 1);
          if (nl >= 0) skipping = false;
        } else if (carryLen + (end - pos) > MAX_LINE_BYTES) {
          lineNo++;
          parser.skipLine(lineNo, `longer than ${MAX_LINE_BYTES} bytes`);
          lineStart += carryLen + (end - pos) + (nl < 0 ? 0 : 1);
          carry = [];
          carryLen = 0;
          skipping = nl < 0;
        } else if (nl < 0) {
          carry.push(chunk.subarray(pos, end));
          carryLen += end - pos;
        } else if (carryLen) {
          const joined = Buffer.concat([...carry, chunk.subarray(pos, end)]);
          emit(joined.toString('utf8'), joined.length, joined.includes(0));
          carry = [];
          carryLen = 0;
        } else {
          if (nul >= 0 && nul < pos) nul = chunk.indexOf(0, pos);
          emit(chunk.toString('utf8', pos, end), end - pos, nul >= 0 && nul < end);
        }
        pos = end + 1;
      }
      done = raw.bytesRead;
      if (opts.onProgress && done - lastProgress >= 1 << 20) {
        lastProgress = done;
        opts.onProgress(Math.min(done, st.size), st.size);
      }
    }
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    parser.problem('error', `reading stopped at line ${lineNo + 1}: ${(e as Error).message}`, lineNo + 1, true);
  }
  if (carryLen && !skipping) {
    const rest = Buffer.concat(carry);
    emit(rest.toString('utf8'), rest.length, rest.includes(0));
  }
  // The read reached the end of the file before the size it had when opened: someone truncated it meanwhile.
  if (raw.readableEnded && raw.bytesRead < st.size) {
    parser.problem('warning', `file shrank while reading: it was ${st.size} bytes when opened but ends at byte ${raw.bytesRead}`, lineNo);
  }
  raw.destroy();
  if (undecodable > 1) parser.problem('warning', `${undecodable} lines with NUL bytes skipped, the first at line ${firstUndecodable}`);
  opts.onProgress?.(st.size, st.size);
  return parser.finish(st.size);
}
