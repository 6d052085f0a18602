/**
 * The request's paths -> the files to read, each classified by its first bytes (never by its name):
 * a capture (pcap / pcapng, possibly gzip'd), a text file (a log candidate), or something else, skipped with
 * a reason. Folders are walked recursively in name order; hidden entries (".git", ".vscode") are skipped.
 */
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffCaptureFormat } from '../capture/open';
import { sniffLogFile } from '../logs/read';

export type InputClass =
  | { kind: 'capture'; format: string }
  | { kind: 'text' }
  | { kind: 'skip'; reason: string };

export interface InputFile {
  path: string;
  sizeBytes: number;
  /** Given by name (not found while walking a folder): a file that cannot be read is then a fatal problem. */
  explicit: boolean;
}

export interface UnreadablePath {
  path: string;
  message: string;
}

const HEAD_BYTES = 4096;

/** Expands folders; paths that cannot be read come back in `unreadable` with the system's reason. */
export async function listInputs(paths: string[], signal?: AbortSignal): Promise<{ files: InputFile[]; unreadable: UnreadablePath[] }> {
  const files: InputFile[] = [];
  const unreadable: UnreadablePath[] = [];
  const seen = new Set<string>();
  async function visit(path: string, explicit: boolean): Promise<void> {
    signal?.throwIfAborted();
    let real: string;
    try {
      real = await realpath(path);
      const st = await stat(real);
      if (seen.has(real)) return; // the same file or folder named twice, or a symlink cycle
      seen.add(real);
      if (st.isDirectory()) {
        const names = (await readdir(real)).filter((n) => !n.startsWith('.')).sort();
        for (const n of names) await visit(join(path, n), false);
      } else if (st.isFile()) {
        files.push({ path, sizeBytes: st.size, explicit });
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      const err = e as NodeJS.ErrnoException;
      unreadable.push({ path, message: `cannot read ${path}: ${err.code ?? err.message}` });
    }
  }
  for (const p of paths) await visit(p, true);
  return { files, unreadable };
}

/** Reads the head of a file and decides what it is. */
export async function classifyInput(path: string): Promise<InputClass> {
  const head = new Uint8Array(HEAD_BYTES);
  const fh = await open(path, 'r');
  let n: number;
  try {
    n = (await fh.read(head, 0, HEAD_BYTES, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  const bytes = head.subarray(0, n);
  const capture = sniffCaptureFormat(bytes);
  if (capture) return { kind: 'capture', format: capture };
  if (n === 0) return { kind: 'skip', reason: 'empty file' };
  // A gzip file that is not a capture may be a rotated log (the log reader inflates it and judges the text).
  const gzip = n >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzip || sniffLogFile(bytes) ? { kind: 'text' } : { kind: 'skip', reason: 'neither a pcap/pcapng capture (no capture magic number) nor text' };
}
