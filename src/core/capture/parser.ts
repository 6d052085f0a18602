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

  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number {
    if (!this.inner) {
      if (this.refused || end - start < 4) return start;
      const format = sniffContainer(bytes.subarray(start, start + 4));
      if (format === null) {
        const what = isGzip(bytes.subarray(start, end)) ? ' (gzip data inside gzip)' : '';
        this.ctx.fatal(fileOffset, `not a pcap or pcapng file: magic 0x${hex8(view.getUint32(start, false))}${what}`);
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
