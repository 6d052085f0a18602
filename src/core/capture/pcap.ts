import type { FormatParser, ParseContext } from './context';
import { pcapRecordLimit } from './limits';

/** Magic numbers as read in little-endian order. */
export const PCAP_MAGIC = {
  usLE: 0xa1b2c3d4, usBE: 0xd4c3b2a1, nsLE: 0xa1b23c4d, nsBE: 0x4d3cb2a1,
} as const;

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * Classic pcap (libpcap format, draft-ietf-opsawg-pcap): a 24-byte file header, then records of a 16-byte
 * header + captured bytes. Hand-written because the npm readers drop truncated records silently, reject
 * nanosecond files and copy every packet (see NOTES.md); this one works on views into the reader's window.
 */
export class PcapParser implements FormatParser {
  need = FILE_HEADER;
  stopped = false;
  private headerDone = false;
  private le = true;
  private nano = false;
  private linkType = 0;
  private snapLen = 0;
  private recordLimit = 0;
  private minor = 4;

  constructor(private readonly ctx: ParseContext) {}

  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number {
    let pos = start;
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER) return pos;
      this.readFileHeader(view, pos, fileOffset);
      if (this.stopped) return pos;
      pos += FILE_HEADER;
      this.need = RECORD_HEADER;
    }
    const { ctx, le, nano } = this;
    const frame = ctx.frame;
    for (;;) {
      const avail = end - pos;
      if (avail < RECORD_HEADER) {
        this.need = RECORD_HEADER;
        return pos;
      }
      const { capLen, origLen } = this.lengths(view, pos);
      const at = fileOffset + (pos - start);
      const recordNo = ctx.summary.packets + 1;
      if (capLen > this.recordLimit) {
        ctx.fatal(at, `record ${recordNo}: captured length ${capLen} is implausible (limit ${this.recordLimit} bytes` +
          `${this.snapLen ? ` for snap length ${this.snapLen}` : ''})`);
        this.stop();
        return pos;
      }
      if (avail < RECORD_HEADER + capLen) {
        this.need = RECORD_HEADER + capLen;
        return pos;
      }
      // Both are read as stored, like tshark (corpus quirk 13), but they are worth a warning.
      if (this.snapLen !== 0 && capLen > this.snapLen) {
        ctx.warn(at, `record ${recordNo}: captured length ${capLen} exceeds the file's snap length ${this.snapLen}`);
      }
      if (capLen > origLen) {
        ctx.warn(at, `record ${recordNo}: captured length ${capLen} exceeds the original length ${origLen}`);
      }
      let sec = view.getUint32(pos, le);
      let sub = view.getUint32(pos + 4, le);
      const perSec = nano ? 1_000_000_000 : 1_000_000;
      if (sub >= perSec) {
        // tshark prints such values as garbage (corpus quirk 3); we carry the excess into the seconds.
        ctx.warn(at, `record ${recordNo}: sub-second field ${sub} is out of range (must be below ${perSec})`);
        sec += Math.floor(sub / perSec);
        sub %= perSec;
      }
      frame.section = 0;
      frame.interfaceId = 0;
      frame.linkType = this.linkType;
      frame.hasTime = true;
      frame.timeSec = sec;
      frame.timeNsec = nano ? sub : sub * 1000;
      frame.origLen = origLen;
      frame.capLen = capLen;
      frame.bytes = bytes;
      frame.start = pos + RECORD_HEADER;
      frame.fileOffset = at;
      ctx.deliver();
      pos += RECORD_HEADER + capLen;
    }
  }

  finish(_bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): void {
    const left = end - start;
    if (left === 0 || this.stopped) return;
    const { ctx } = this;
    if (!this.headerDone) {
      ctx.fatal(fileOffset, `file header cut short: ${left} of ${FILE_HEADER} bytes`);
    } else if (left < RECORD_HEADER) {
      ctx.fatal(fileOffset, `record ${ctx.summary.packets + 1}: header cut short: ${left} of ${RECORD_HEADER} bytes`);
    } else {
      const { capLen } = this.lengths(view, start);
      ctx.fatal(fileOffset, `record ${ctx.summary.packets + 1}: data cut short: ${left - RECORD_HEADER} of ${capLen} bytes`);
    }
    this.stop();
  }

  /**
   * The record's captured and original lengths. Files older than version 2.3 stored them in the other order; in
   * 2.3 files both orders exist, and the captured length is never the larger (libpcap and Wireshark do the same).
   */
  private lengths(view: DataView, pos: number): { capLen: number; origLen: number } {
    const first = view.getUint32(pos + 8, this.le);
    const second = view.getUint32(pos + 12, this.le);
    const swapped = this.minor < 3 || (this.minor === 3 && first > second);
    return swapped ? { capLen: second, origLen: first } : { capLen: first, origLen: second };
  }

  private stop(): void {
    this.stopped = true;
    this.need = 0;
  }

  private readFileHeader(view: DataView, pos: number, fileOffset: number): void {
    const { ctx } = this;
    const magic = view.getUint32(pos, true);
    this.le = magic === PCAP_MAGIC.usLE || magic === PCAP_MAGIC.nsLE;
    this.nano = magic === PCAP_MAGIC.nsLE || magic === PCAP_MAGIC.nsBE;
    const le = this.le;
    const major = view.getUint16(pos + 4, le);
    const minor = view.getUint16(pos + 6, le);
    this.snapLen = view.getUint32(pos + 16, le);
    const linkField = view.getUint32(pos + 20, le);
    this.linkType = linkField & 0xffff;
    this.recordLimit = pcapRecordLimit(this.snapLen);
    const s = ctx.summary;
    s.format = 'pcap';
    s.byteOrder = le ? 'le' : 'be';
    s.version = `${major}.${minor}`;
    this.headerDone = true;
    // Version 2.4 is the only one written since 1998; like tshark, refuse other majors and read other minors.
    if (major !== 2) {
      ctx.fatal(fileOffset + 4, `unsupported pcap version ${major}.${minor} (only 2.x can be read)`);
      this.stop();
      return;
    }
    this.minor = minor;
    if (minor > 4) ctx.warn(fileOffset + 4, `unusual pcap version ${major}.${minor}, read as 2.4`);
    else if (minor < 4) ctx.warn(fileOffset + 4, `old pcap version ${major}.${minor}: record lengths read in that version's order`);
    // LinkType field: bits 0-15 link type, 16-25 reserved (must be 0), bit 26 FCS present, 28-31 FCS length
    // in 16-bit words. tshark 4.0 masks the FCS bits and refuses a non-zero reserved field (corpus quirk 12).
    const reserved = (linkField >>> 16) & 0x3ff;
    if (reserved !== 0) {
      ctx.fatal(fileOffset + 20, `LinkType field 0x${hex8(linkField)} has reserved bits 16-25 set (0x${hex8(reserved << 16)})`);
      this.stop();
      return;
    }
    const fcsBytes = linkField & 0x04000000 ? ((linkField >>> 28) & 0xf) * 2 : 0;
    s.interfaces.push({
      section: 0, interfaceId: 0, linkType: this.linkType, snapLen: this.snapLen,
      tsResolution: this.nano ? '10^-9' : '10^-6', tsOffsetSec: 0, ...(fcsBytes ? { fcsBytes } : {}),
    });
  }
}

export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
