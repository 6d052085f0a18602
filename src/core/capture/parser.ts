import type { FormatParser, ParseContext } from './context';
import { PcapParser, hex8 } from './pcap';
import { PcapngParser } from './pcapng';
import { isGzip, sniffContainer } from './sniff';

/** Looks at the first 4 bytes, then hands everything to the pcap or pcapng parser (format by magic, never by name). */
export class CaptureParser implements FormatParser {
  private inner: FormatParser | null = null;
  private refused = false;

  constructor(private readonly ctx: ParseContext) {}

  get need(): number {
    return this.inner ? this.inner.need : this.refused ? 0 : 4;
  }

  get stopped(): boolean {
    return this.inner ? this.inner.stopped : this.refused;
  }

  get discardable(): number {
    return this.inner?.discardable ?? 0;
  }

  discard(n: number): void {
    this.inner?.discard?.(n);
  }

  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number {
    if (!this.inner) {
      if (this.refused || end - start < 4) return start;
      const format = sniffContainer(bytes.subarray(start, start + 4));
      if (format === null) {
        const magic = view.getUint32(start, false);
        this.ctx.fatal(fileOffset, `not a pcap or pcapng file: magic 0x${hex8(magic)}${knownOther(magic, bytes.subarray(start, end))}`);
        this.refused = true;
        return start;
      }
      this.inner = format === 'pcap' ? new PcapParser(this.ctx) : new PcapngParser(this.ctx);
    }
    return this.inner.parse(bytes, view, start, end, fileOffset);
  }

  finish(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): void {
    if (this.inner) this.inner.finish(bytes, view, start, end, fileOffset);
    else if (!this.refused) {
      const left = end - start;
      this.ctx.fatal(fileOffset, left === 0 ? 'empty file: no capture header' : `file too short for a capture header: ${left} bytes`);
      this.refused = true;
    }
  }
}

/** Names look-alike formats we do not read, so the message says what the file is. */
function knownOther(magic: number, head: Uint8Array): string {
  if (isGzip(head)) return ' (gzip data inside gzip)';
  // Alexey Kuznetzov's patched libpcap wrote 8 extra bytes per record header; Wireshark calls it "modified pcap".
  if (magic === 0xa1b2cd34 || magic === 0x34cdb2a1) return ' (Kuznetzov "modified" pcap, not supported)';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return ' (zstd-compressed; decompress it first)';
  return '';
}
