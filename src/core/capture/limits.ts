/**
 * Size limits that keep a damaged or hostile length field from making the reader allocate or wait for absurd
 * amounts of data. Nothing is ever allocated from a length field before it has been checked against these.
 */

/**
 * The largest record any capture tool writes for ordinary link types: libpcap's and Wireshark's
 * MAXIMUM_SNAPLEN / WTAP_MAX_PACKET_SIZE_STANDARD (256 KiB). A classic pcap record above this is implausible...
 */
export const MAX_RECORD_STANDARD = 256 * 1024;

/**
 * ...unless the file header's snap length says the capture was taken with a larger one (USB, D-Bus and
 * some pseudo link types do that); then up to the snap length, but never above this hard cap.
 */
export const MAX_RECORD_HARD = 16 * 1024 * 1024;

/**
 * pcapng: the largest block that is read whole (SHB, IDB and packet blocks: at most MAX_RECORD_HARD bytes of packet
 * plus headers and options). Blocks that are skipped (ISB, NRB, DSB, custom, unknown) stream past at any size.
 */
export const MAX_BLOCK_BYTES = MAX_RECORD_HARD + 64 * 1024;

/** The window buffer never grows beyond this: one whole record or block must fit. */
export const MAX_WINDOW_BYTES = MAX_BLOCK_BYTES;

/** Default read size: large sequential reads, one reused buffer. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Warnings (non-fatal problems) listed per file before the rest are only counted, so memory stays flat. */
export const MAX_LISTED_WARNINGS = 100;

/** Limit for a classic pcap record given the file's snap length (see MAX_RECORD_STANDARD). */
export function pcapRecordLimit(snapLen: number): number {
  return Math.max(MAX_RECORD_STANDARD, Math.min(snapLen, MAX_RECORD_HARD));
}

/**
 * pcapng interfaces: real files have a handful (the corpus's maximum is 126). Each IDB costs only 20 bytes of file,
 * so without a bound a hostile file could make the per-section table, and the summary's list, grow with its size.
 */
export const MAX_INTERFACES_PER_SECTION = 65536;
/** InterfaceInfo entries kept in the summary over all sections; later ones are counted in a warning. */
export const MAX_LISTED_INTERFACES = 4096;
