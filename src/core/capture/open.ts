import type { CaptureSummary, Frame } from './types';

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, fileSize: number) => void;
  chunkSize?: number;
}

/**
 * Streams a pcap / pcapng (optionally gzip-compressed, detected by magic 1f8b) file from disk; calls onFrame for every
 * packet record in file order; never throws on file bytes (damage -> summary.problems with byteOffset); rejects only
 * for AbortSignal (AbortError) or when the file cannot be opened (ENOENT/EACCES/EISDIR -> an Error naming the file).
 */
export async function readCaptureFile(path: string, _onFrame: (f: Frame) => void, _opts?: ReadOptions): Promise<CaptureSummary> {
  throw new Error(`readCaptureFile(${path}): the capture reader is being built`);
}

/** Same parser over bytes in memory (tests, fuzzing). */
export function readCaptureBytes(_bytes: Uint8Array, name: string, _onFrame: (f: Frame) => void): CaptureSummary {
  throw new Error(`readCaptureBytes(${name}): the capture reader is being built`);
}

/** 'pcap' | 'pcapng' | 'pcap.gz' | 'pcapng.gz' from the first bytes, or null: lets callers classify files by content. */
export function sniffCaptureFormat(_head: Uint8Array): string | null {
  return null;
}
