/**
 * The request's paths -> the files to read, each classified by its first bytes (never by its name):
 * a capture (pcap / pcapng, possibly gzip'd), a text file (a log candidate), or something else, skipped with
 * a reason. Folders are walked recursively in name order; hidden entries (".git", ".vscode") are skipped.
 */
import type { Stats } from 'node:fs';
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
  /** Given by name (not found while walking a folder): a file that cannot be used is then a fatal problem. */
  explicit: boolean;
}

export interface UnreadablePath {
  path: string;
  message: string;
  /** Named by the user (fatal: they asked for it), or met while walking a folder (a warning). */
  explicit: boolean;
}

const HEAD_BYTES = 4096;

/**
 * Expands folders; what cannot be used comes back in `unreadable` with the reason: the system's error, a
 * path that is not a regular file (FIFO, device, socket: never opened, it could block or never end), or a
 * folder given by name with nothing in it.
 */
export async function listInputs(paths: string[], signal?: AbortSignal): Promise<{ files: InputFile[]; unreadable: UnreadablePath[] }> {
  const files: InputFile[] = [];
  const unreadable: UnreadablePath[] = [];
  const seen = new Set<string>();
  async function visit(path: string, explicit: boolean): Promise<void> {
    signal?.throwIfAborted();
    try {
      const real = await realpath(path);
      const st = await stat(real);
      if (seen.has(real)) return; // the same file or folder named twice, or a symlink cycle
      seen.add(real);
      if (st.isDirectory()) {
        const names = (await readdir(real)).filter((n) => !n.startsWith('.')).sort();
        const before = files.length + unreadable.length;
        for (const n of names) await visit(join(path, n), false);
        if (explicit && files.length + unreadable.length === before) {
          unreadable.push({ path, message: 'empty folder: no capture or log files in it', explicit });
        }
      } else if (st.isFile()) {
        files.push({ path, sizeBytes: st.size, explicit });
      } else {
        unreadable.push({ path, message: `not a regular file (${kindOf(st)}): not read`, explicit });
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      const err = e as NodeJS.ErrnoException;
      unreadable.push({ path, message: `cannot read: ${err.code === 'EACCES' ? 'permission denied (EACCES)' : err.code ?? err.message}`, explicit });
    }
  }
  for (const p of paths) await visit(p, true);
  return { files, unreadable };
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file or folder';
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
