import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { ParseContext } from './context';
import { DEFAULT_CHUNK_BYTES, MAX_RECORD_STANDARD } from './limits';
import { CaptureParser } from './parser';
import { isGzip } from './sniff';
import type { CaptureSummary, Frame } from './types';
import { ParserWindow } from './window';

export { sniffCaptureFormat } from './sniff';

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, fileSize: number) => void;
  /** Bytes per read (default 4 MiB). Any value gives the same frames; tiny ones exist for tests. */
  chunkSize?: number;
  /**
   * Awaited before each chunk is read: a consumer that cannot keep up (e.g. a CLI writing to a slow pipe) returns a
   * promise that settles when it can take more frames, so memory stays bounded (backpressure).
   */
  beforeRead?: () => Promise<void> | void;
}

/**
 * Streams a pcap / pcapng (optionally gzip-compressed, detected by magic 1f8b) file from disk; calls onFrame for every
 * packet record in file order; never throws on file bytes (damage -> summary.problems with byteOffset); rejects only
 * for AbortSignal (AbortError) or when the file cannot be opened (ENOENT/EACCES/EISDIR -> an Error naming the file).
 *
 * The size is taken once when the file is opened: a file that grows meanwhile is read up to that size (a snapshot),
 * one that shrinks gets a "file shrank while reading" problem after the last complete record.
 * For gzip files, byte offsets in problems and frames are offsets in the decompressed stream.
 */
export async function readCaptureFile(path: string, onFrame: (f: Frame) => void, opts: ReadOptions = {}): Promise<CaptureSummary> {
  const { signal, onProgress } = opts;
  const chunkSize = Math.max(1, Math.floor(opts.chunkSize ?? DEFAULT_CHUNK_BYTES));
  signal?.throwIfAborted();
  const fh = await openCapture(path);
  try {
    const size = (await fh.stat()).size;
    const ctx = new ParseContext(path, size, onFrame);
    const head = new Uint8Array(2);
    const headLen = size >= 2 ? (await fh.read(head, 0, 2, 0)).bytesRead : 0;
    const gzip = isGzip(head.subarray(0, headLen));
    // A small file needs no 4 MiB buffer; gzip output has no known size, the window grows if a record needs it.
    const window = new ParserWindow(new CaptureParser(ctx), gzip ? chunkSize : Math.min(chunkSize, size + 1));
    const bytesRead = gzip
      ? await pumpGzip(fh, window, ctx, chunkSize, opts)
      : await pumpFile(fh, size, window, ctx, chunkSize, opts);
    window.close();
    onProgress?.(bytesRead, size);
    return ctx.close(bytesRead);
  } finally {
    await fh.close();
  }
}

async function openCapture(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer; on a regular file it changes nothing.
    fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A FIFO, socket or device (/dev/zero) has no size to snapshot and may never end: refused, not read.
    if (!st.isFile()) throw new Error('not a regular file (a FIFO, socket or device): not read');
  } catch (e) {
    await fh.close();
    throw fileError(path, e);
  }
  return fh;
}

/** "cannot read capture file /x/y.pcap: no such file or directory (ENOENT)": Node's text without its repeated code and path. */
function fileError(path: string, e: unknown): Error {
  const cause = e as NodeJS.ErrnoException;
  const text = String(cause.message ?? e).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  const err = new Error(`cannot read capture file ${path}: ${text}${cause.code ? ` (${cause.code})` : ''}`, { cause: e });
  return Object.assign(err, { code: cause.code });
}

/**
 * Reads the file straight into the parser's window: no copy of the data. The next chunk is read while the current
 * one is parsed (two buffers in turn): the read itself (a copy out of the page cache, or the disk) then runs on
 * libuv's thread instead of leaving the parser idle for ~10 % of the time. `beforeRead` (backpressure) is awaited
 * before each read is started, so a consumer that waits holds at most the chunk being parsed and the one read.
 */
async function pumpFile(fh: FileHandle, size: number, window: ParserWindow, ctx: ParseContext, chunkSize: number,
  opts: ReadOptions): Promise<number> {
  if (size <= chunkSize) return pumpFileInTurn(fh, size, window, ctx, chunkSize, opts);
  const { signal, onProgress, beforeRead } = opts;
  // Room in front of each chunk for the unfinished record carried over from the previous one.
  const headroom = MAX_RECORD_STANDARD;
  const alloc = (): Uint8Array => new Uint8Array(headroom + chunkSize);
  let spare = alloc();
  let pos = 0;
  let ahead: { buffer: Uint8Array; bytes: Promise<number> } | null = null;
  const readAhead = (buffer: Uint8Array): void => {
    const bytes = fh.read(buffer, headroom, Math.min(chunkSize, size - pos), pos).then((r) => r.bytesRead);
    // Settled even when nobody awaits it (an abort or a stopped parser leaves it behind).
    bytes.catch(() => undefined);
    ahead = { buffer, bytes };
  };
  try {
    while (!window.stopped && (pos < size || ahead)) {
      signal?.throwIfAborted();
      if (!ahead) {
        const skipped = window.skipAhead(size - pos);
        if (skipped > 0) {
          // A skipped block's body: seek past it instead of reading it (big custom/DSB blocks cost nothing).
          pos += skipped;
          onProgress?.(pos, size);
          continue;
        }
        await beforeRead?.();
        signal?.throwIfAborted();
        readAhead(spare);
      }
      const current: { buffer: Uint8Array; bytes: Promise<number> } = ahead!;
      ahead = null;
      const n = await current.bytes;
      if (n === 0) {
        ctx.warn(pos, `file shrank while reading: it was ${size} bytes when opened but ends at byte ${pos}`);
        break;
      }
      pos += n;
      const previous = window.adopt(current.buffer, headroom);
      if (previous === null) {
        // A record larger than the headroom is pending: copied in behind it, without reading ahead this time.
        window.push(current.buffer.subarray(headroom, headroom + n));
        spare = current.buffer;
      } else {
        spare = previous.length >= headroom + chunkSize ? previous : alloc();
        // While a skipped block streams by, the next round seeks past the rest of it instead of reading it.
        if (pos < size && window.discardable === 0) {
          await beforeRead?.();
          signal?.throwIfAborted();
          readAhead(spare);
        }
        window.commit(n);
      }
      onProgress?.(pos, size);
    }
  } finally {
    // Never leave a read in flight on a handle the caller is about to close.
    const pending = ahead as { bytes: Promise<number> } | null;
    if (pending) await pending.bytes.catch(() => undefined);
  }
  return pos;
}

/** Small files: one read after the other. */
async function pumpFileInTurn(fh: FileHandle, size: number, window: ParserWindow, ctx: ParseContext, chunkSize: number,
  { signal, onProgress, beforeRead }: ReadOptions): Promise<number> {
  let pos = 0;
  while (pos < size && !window.stopped) {
    await beforeRead?.();
    signal?.throwIfAborted();
    const skipped = window.skipAhead(size - pos);
    if (skipped > 0) {
      pos += skipped;
      onProgress?.(pos, size);
      continue;
    }
    const w = window.writable(size - pos);
    const { bytesRead } = await fh.read(w.buffer, w.offset, Math.min(w.length, chunkSize, size - pos), pos);
    if (bytesRead === 0) {
      ctx.warn(pos, `file shrank while reading: it was ${size} bytes when opened but ends at byte ${pos}`);
      break;
    }
    pos += bytesRead;
    window.commit(bytesRead);
    onProgress?.(pos, size);
  }
  return pos;
}

/** gzip: the decompressed stream is copied into the window as it comes; offsets are decompressed offsets. */
async function pumpGzip(fh: FileHandle, window: ParserWindow, ctx: ParseContext, chunkSize: number,
  { signal, onProgress, beforeRead }: ReadOptions): Promise<number> {
  const source = fh.createReadStream({ start: 0, highWaterMark: chunkSize, autoClose: false });
  const gunzip = createGunzip({ chunkSize: Math.max(64, Math.min(chunkSize, 1 << 20)) });
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      signal?.throwIfAborted();
      window.push(chunk as Buffer);
      onProgress?.(source.bytesRead, ctx.summary.fileSize);
      if (window.stopped) break;
      await beforeRead?.();
    }
  } catch (e) {
    // Only zlib's own errors (code Z_...) are damage in the file; a consumer's exception or an abort propagates.
    if (signal?.aborted || !String((e as NodeJS.ErrnoException).code).startsWith('Z_')) throw e;
    // A record cut by the gzip damage is the fatal problem (it says which record); the gzip error is then
    // context. If the damage fell between records, the gzip error is what stopped the read.
    window.close();
    const reason = `gzip data damaged after ${window.received} decompressed bytes: ${(e as Error).message}`;
    if (window.stopped) ctx.warn(window.received, reason);
    else ctx.fatal(window.received, reason);
  } finally {
    source.unpipe(gunzip);
    gunzip.destroy();
    source.destroy();
  }
  return source.bytesRead;
}

/** Same parser over bytes in memory (tests, fuzzing). gzip input is inflated first (bounded to 1 GiB). */
export function readCaptureBytes(bytes: Uint8Array, name: string, onFrame: (f: Frame) => void): CaptureSummary {
  const ctx = new ParseContext(name, bytes.length, onFrame);
  const parser = new CaptureParser(ctx);
  let data = bytes;
  if (isGzip(bytes)) {
    try {
      data = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1 << 30 });
    } catch (e) {
      ctx.fatal(0, `gzip data damaged: ${(e as Error).message}`);
      return ctx.close(bytes.length);
    }
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = parser.parse(data, view, 0, data.length, 0);
  if (!parser.stopped) parser.finish(data, view, end, data.length, end);
  return ctx.close(bytes.length);
}

/**
 * Feeds `chunks` through the streaming window, as the file reader does (for tests of chunking independence and
 * for callers that already hold the bytes in pieces).
 */
export function readCaptureChunks(chunks: Iterable<Uint8Array>, name: string, size: number, onFrame: (f: Frame) => void): CaptureSummary {
  const ctx = new ParseContext(name, size, onFrame);
  const window = new ParserWindow(new CaptureParser(ctx), 64 * 1024);
  for (const c of chunks) {
    window.push(c);
    if (window.stopped) break;
  }
  window.close();
  return ctx.close(window.received);
}
