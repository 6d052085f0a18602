/**
 * The capture engine's contract: what a reader hands out per packet record and what it says about the file.
 * Hot path: one `Frame` object is reused for every record, and its bytes live in the reader's chunk buffer, so
 * both are valid only during the callback that receives them. Copy what you keep.
 */

export type CaptureFormat = 'pcap' | 'pcapng';
export type ByteOrder = 'le' | 'be';

export interface Frame {
  /** 1-based number of the packet record in the file (EPB/SPB/PB in pcapng; custom blocks are not counted). */
  number: number;
  /** pcapng: 1-based section (SHB) number; classic pcap: 0. */
  section: number;
  /** pcapng: interface index within its section (0-based); classic pcap: 0. */
  interfaceId: number;
  /** LINKTYPE_* value of the record's interface (FCS/reserved upper bits masked off). */
  linkType: number;
  /** false for Simple Packet Blocks, which carry no timestamp. */
  hasTime: boolean;
  /** Whole seconds since 1970 (unsigned in pcap; may exceed 2^32 in pcapng). */
  timeSec: number;
  /** Nanoseconds within the second, 0..999_999_999 (truncated when the resolution is finer, as tshark does). */
  timeNsec: number;
  /** Original (wire) length. */
  origLen: number;
  /** Captured length (= data.length). */
  capLen: number;
  /**
   * The buffer holding the record: the captured bytes are bytes[start, start + capLen). Hot paths decode from
   * here (decodeFrame's start and end), so that no view object is made per frame: the benchmark's profile showed
   * a `subarray` per frame costing about as much as hashing the packet.
   */
  bytes: Uint8Array;
  start: number;
  /** The captured bytes as a view of their own (bytes[start, start + capLen)), made when first asked for. */
  readonly data: Uint8Array;
  /** Byte offset of the record (its header / block start) in the file. */
  fileOffset: number;
}

export interface InterfaceInfo {
  section: number;
  interfaceId: number;
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp resolution as written: "10^-6", "10^-9", "2^-8"... */
  tsResolution: string;
  tsOffsetSec: number;
  /** Bytes of FCS at the end of each packet when the file says so (pcap LinkType FCS bits, pcapng if_fcslen); else 0. */
  fcsBytes?: number;
}

/** A problem in a capture file, with its place. Readers return these; they never throw on file bytes. */
export interface CaptureProblem {
  file: string;
  byteOffset: number;
  reason: string;
  /** true when reading stopped here (everything before it was still delivered); false for a warning. */
  fatal: boolean;
}

export interface CaptureSummary {
  file: string;
  format: CaptureFormat | null;
  byteOrder: ByteOrder | null;
  /** "2.4" for pcap; SHB versions for pcapng ("1.0"). */
  version: string | null;
  sections: number;
  interfaces: InterfaceInfo[];
  /** Packet records delivered. */
  packets: number;
  /** Blocks skipped on purpose (custom, unknown types, ISB, NRB, DSB). */
  skippedBlocks: number;
  bytesRead: number;
  fileSize: number;
  firstTime: { sec: number; nsec: number } | null;
  lastTime: { sec: number; nsec: number } | null;
  problems: CaptureProblem[];
}
