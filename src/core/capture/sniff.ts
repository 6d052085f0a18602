import { gunzipSync, constants } from 'node:zlib';
import { PCAP_MAGIC } from './pcap';

export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
export const GZIP_MAGIC_0 = 0x1f;
export const GZIP_MAGIC_1 = 0x8b;

export type ContainerFormat = 'pcap' | 'pcapng';

/** 'pcap' / 'pcapng' from a capture's first 4 bytes (never from the file name), else null. */
export function sniffContainer(head: Uint8Array): ContainerFormat | null {
  if (head.length < 4) return null;
  const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  if (magic === PCAPNG_SHB_TYPE) return 'pcapng';
  for (const m of Object.values(PCAP_MAGIC)) if (magic === m) return 'pcap';
  return null;
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/**
 * 'pcap' | 'pcapng' | 'pcap.gz' | 'pcapng.gz' from the first bytes, or null. For gzip, the head is inflated as far
 * as it goes to look at the capture magic inside: pass at least 512 bytes (deflate's Huffman tables come first),
 * or the answer is null.
 */
export function sniffCaptureFormat(head: Uint8Array): string | null {
  if (!isGzip(head)) return sniffContainer(head);
  try {
    // Sync flush: a head cut anywhere still yields the bytes decoded so far; the output cap bounds the work.
    const inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 64 * 1024 });
    const format = sniffContainer(inner);
    return format ? `${format}.gz` : null;
  } catch {
    return null;
  }
}
