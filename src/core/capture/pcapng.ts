import type { FormatParser, ParseContext } from './context';
import { MAX_BLOCK_BYTES, MAX_INTERFACES_PER_SECTION, MAX_LISTED_INTERFACES } from './limits';
import { hex8 } from './pcap';
import { TickClock } from './timestamp';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const PB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const NRB = 0x00000004;
const ISB = 0x00000005;
const EPB = 0x00000006;
const DSB = 0x0000000a;
const CB = 0x00000bad;
const DCB = 0x40000bad;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const BLOCK_NAMES = new Map<number, string>([
  [SHB, 'SHB'], [IDB, 'IDB'], [PB, 'PB'], [SPB, 'SPB'], [NRB, 'NRB'], [ISB, 'ISB'], [EPB, 'EPB'], [DSB, 'DSB'],
  [CB, 'custom block'], [DCB, 'custom block'],
]);
/** Blocks whose content is read; every other type is passed over by its length (and need not fit the window). */
const READ_BLOCKS = new Set([SHB, IDB, PB, SPB, EPB]);
/** Smallest legal total length per block type (12 bytes of framing + the fixed body). */
const MIN_LENGTH = new Map<number, number>([[SHB, 28], [IDB, 20], [PB, 32], [SPB, 16], [EPB, 32]]);

const blockName = (type: number): string => BLOCK_NAMES.get(type) ?? `block type 0x${hex8(type)}`;

interface Interface {
  linkType: number;
  snapLen: number;
  clock: TickClock;
}

/**
 * pcapng (draft-ietf-opsawg-pcapng): blocks of type + total length + body + total length again. Every SHB starts a
 * section with its own byte order and its own interface list. Hand-written for the same reasons as PcapParser:
 * no npm reader streams pcapng with per-section byte order, both tsresol bases and damage reports with offsets.
 */
export class PcapngParser implements FormatParser {
  need = 12;
  stopped = false;
  private le = true;
  private section = 0;
  private interfaces: Interface[] = [];
  private readonly versions = new Set<string>();
  /** Interfaces beyond MAX_LISTED_INTERFACES (read, not listed in the summary). */
  private unlisted = 0;
  // A skipped block that did not fit the window is passed over as it streams by: its offset, type, total length
  // and the body bytes still to pass (its trailing length is then checked like any other).
  private skipping = false;
  private skipAt = 0;
  private skipType = 0;
  private skipLength = 0;
  private skipBodyLeft = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly ctx: ParseContext) {
    ctx.summary.format = 'pcapng';
  }

  /** Body bytes of a skipped block the reader may pass without reading them at all (it seeks past them). */
  get discardable(): number {
    return this.skipping ? this.skipBodyLeft : 0;
  }

  discard(n: number): void {
    this.skipBodyLeft -= n;
  }

  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number {
    let pos = start;
    while (!this.stopped) {
      if (this.skipping) {
        const n = Math.min(end - pos, this.skipBodyLeft);
        pos += n;
        this.skipBodyLeft -= n;
        this.need = this.skipBodyLeft > 0 ? 1 : 4;
        if (end - pos < this.need) return pos;
        const trailing = view.getUint32(pos, this.le);
        if (trailing !== this.skipLength) {
          this.fail(this.skipAt, `${blockName(this.skipType)}: trailing block length ${trailing} != leading block length ${this.skipLength}`);
          break;
        }
        pos += 4;
        this.skipping = false;
        this.ctx.summary.skippedBlocks++;
        continue;
      }
      const avail = end - pos;
      if (avail < 8) {
        this.need = 8;
        return pos;
      }
      const at = fileOffset + (pos - start);
      const type = view.getUint32(pos, this.le);
      if (type === SHB) {
        // The byte order of everything from here on, the SHB's own length included, comes from its magic.
        if (avail < 12) {
          this.need = 12;
          return pos;
        }
        const magic = view.getUint32(pos + 8, true);
        if (magic !== BYTE_ORDER_MAGIC && magic !== 0x4d3c2b1a) {
          this.fail(at, `SHB: byte-order magic 0x${hex8(view.getUint32(pos + 8, false))} is neither 1a2b3c4d nor 4d3c2b1a`);
          break;
        }
        this.le = magic === BYTE_ORDER_MAGIC;
      }
      const length = view.getUint32(pos + 4, this.le);
      const lengthProblem = checkLength(type, length);
      if (lengthProblem) {
        this.fail(at, `${blockName(type)}: ${lengthProblem}`);
        break;
      }
      if (avail < length) {
        if (!READ_BLOCKS.has(type)) {
          this.skipping = true;
          this.skipAt = at;
          this.skipType = type;
          this.skipLength = length;
          this.skipBodyLeft = length - 12;
          pos += 8;
          continue;
        }
        this.need = length;
        return pos;
      }
      const trailing = view.getUint32(pos + length - 4, this.le);
      if (trailing !== length) {
        this.fail(at, `${blockName(type)}: trailing block length ${trailing} != leading block length ${length}`);
        break;
      }
      this.block(type, bytes, view, pos, length, at);
      if (this.stopped) break;
      pos += length;
    }
    return pos;
  }

  finish(_bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): void {
    const left = end - start;
    if (this.skipping && !this.stopped) {
      const remain = fileOffset + left - this.skipAt;
      this.fail(this.skipAt, `${blockName(this.skipType)} cut short: block length ${this.skipLength} but only ${remain} bytes remain in the file`);
      return;
    }
    if (left === 0 || this.stopped) return;
    if (left < 8) {
      this.fail(fileOffset, `block header cut short: ${left} of 8 bytes`);
      return;
    }
    const type = view.getUint32(start, this.le);
    if (type === SHB && left < 12) {
      this.fail(fileOffset, `SHB header cut short: ${left} of 12 bytes`);
      return;
    }
    const le = type === SHB ? view.getUint32(start + 8, true) === BYTE_ORDER_MAGIC : this.le;
    const length = view.getUint32(start + 4, le);
    this.fail(fileOffset, `${blockName(type)} cut short: block length ${length} but only ${left} bytes remain in the file`);
  }

  private fail(at: number, reason: string): void {
    this.ctx.fatal(at, reason);
    this.stopped = true;
    this.need = 0;
  }

  private block(type: number, bytes: Uint8Array, view: DataView, pos: number, length: number, at: number): void {
    switch (type) {
      case SHB: return this.sectionHeader(view, pos, at);
      case IDB: return this.interfaceDescription(bytes, view, pos, length, at);
      case EPB: return this.packet(bytes, view, pos, length, at, view.getUint32(pos + 8, this.le), 12, 'EPB');
      case PB: return this.packet(bytes, view, pos, length, at, view.getUint16(pos + 8, this.le), 12, 'PB');
      case SPB: return this.simplePacket(bytes, view, pos, length, at);
      // ISB, NRB, DSB, custom blocks and types we do not know carry no packets: skipped by their length.
      default: this.ctx.summary.skippedBlocks++;
    }
  }

  private sectionHeader(view: DataView, pos: number, at: number): void {
    const major = view.getUint16(pos + 12, this.le);
    const minor = view.getUint16(pos + 14, this.le);
    const s = this.ctx.summary;
    this.section++;
    s.sections = this.section;
    s.byteOrder ??= this.le ? 'le' : 'be';
    this.interfaces = [];
    this.versions.add(`${major}.${minor}`);
    s.version = [...this.versions].join(',');
    // 1.0 is the version; 1.2 was written by some tools for the same format (tshark accepts both). tshark stops
    // at any other version (corpus quirk 10, gopacket test901): a reader cannot know that section's layout.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      this.fail(at, `SHB: unsupported pcapng version ${major}.${minor} in section ${this.section} (1.0 and 1.2 can be read)`);
    }
  }

  private interfaceDescription(bytes: Uint8Array, view: DataView, pos: number, length: number, at: number): void {
    const le = this.le;
    const linkType = view.getUint16(pos + 8, le);
    const snapLen = view.getUint32(pos + 12, le);
    let tsresol: number | undefined;
    let tsOffset = 0;
    let name: string | undefined;
    let description: string | undefined;
    let fcsBytes = 0;
    // Options: code (2), length (2), value padded to 4; code 0 ends the list.
    const optEnd = pos + length - 4;
    for (let p = pos + 16; p + 4 <= optEnd;) {
      const code = view.getUint16(p, le);
      const len = view.getUint16(p + 2, le);
      if (code === 0) break;
      const v = p + 4;
      if (v + len > optEnd) {
        this.ctx.warn(at, `IDB: option ${code} of length ${len} runs past the end of the block (${optEnd - v} bytes left); later options ignored`);
        break;
      }
      if (code === 2) name = this.decoder.decode(bytes.subarray(v, v + len));
      else if (code === 3) description = this.decoder.decode(bytes.subarray(v, v + len));
      else if (code === 9 && len >= 1) tsresol = bytes[v];
      else if (code === 13 && len >= 1) fcsBytes = bytes[v]!;
      else if (code === 14 && len >= 8) tsOffset = Number(view.getBigInt64(v, le));
      p = v + ((len + 3) & ~3);
    }
    let clock = TickClock.fromTsresol(tsresol, tsOffset);
    if (typeof clock === 'string') {
      this.ctx.warn(at, `IDB: ${clock}; timestamps read as microseconds`);
      clock = TickClock.fromTsresol(undefined, tsOffset) as TickClock;
    }
    const interfaceId = this.interfaces.length;
    if (interfaceId >= MAX_INTERFACES_PER_SECTION) {
      this.fail(at, `IDB: section ${this.section} declares more than ${MAX_INTERFACES_PER_SECTION} interfaces`);
      return;
    }
    this.interfaces.push({ linkType, snapLen, clock });
    const listed = this.ctx.summary.interfaces;
    if (listed.length >= MAX_LISTED_INTERFACES) {
      if (this.unlisted++ === 0) {
        this.ctx.warn(at, `more than ${MAX_LISTED_INTERFACES} interfaces in the file: later ones are read but not listed`);
      }
      return;
    }
    listed.push({
      section: this.section, interfaceId, linkType, snapLen, tsResolution: clock.label, tsOffsetSec: tsOffset,
      ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}),
      ...(fcsBytes ? { fcsBytes } : {}),
    });
  }

  /** EPB and the obsolete PB share a layout after the interface id: ts high, ts low, captured len, original len. */
  private packet(bytes: Uint8Array, view: DataView, pos: number, length: number, at: number, interfaceId: number,
    fixed: number, name: string): void {
    const le = this.le;
    const capLen = view.getUint32(pos + 8 + fixed, le);
    const room = length - 32;
    if (capLen > room) {
      this.fail(at, `${name}: captured length ${capLen} exceeds block body (a block of length ${length} holds at most ${room} bytes of packet data)`);
      return;
    }
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) {
      this.fail(at, `${name}: interface id ${interfaceId} does not exist (section ${this.section} has ${this.interfaces.length} interfaces)`);
      return;
    }
    const frame = this.ctx.frame;
    frame.section = this.section;
    frame.interfaceId = interfaceId;
    frame.linkType = iface.linkType;
    frame.hasTime = true;
    iface.clock.set(frame, view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
    frame.origLen = view.getUint32(pos + 12 + fixed, le);
    frame.capLen = capLen;
    frame.bytes = bytes;
    frame.start = pos + 28;
    frame.fileOffset = at;
    this.ctx.deliver();
  }

  private simplePacket(bytes: Uint8Array, view: DataView, pos: number, length: number, at: number): void {
    const iface = this.interfaces[0];
    if (iface === undefined) {
      this.fail(at, `SPB: section ${this.section} has no interface for it (SPBs belong to interface 0)`);
      return;
    }
    const origLen = view.getUint32(pos + 8, this.le);
    // No captured-length field: it is the original length cut to the snap length (as tshark computes frame.cap_len).
    const capLen = iface.snapLen !== 0 && iface.snapLen < origLen ? iface.snapLen : origLen;
    const room = length - 16;
    if (capLen > room) {
      this.fail(at, `SPB: packet of ${capLen} captured bytes (original length ${origLen}, snap length ${iface.snapLen}) exceeds block body of ${room} bytes`);
      return;
    }
    const frame = this.ctx.frame;
    frame.section = this.section;
    frame.interfaceId = 0;
    frame.linkType = iface.linkType;
    frame.hasTime = false;
    frame.timeSec = 0;
    frame.timeNsec = 0;
    frame.origLen = origLen;
    frame.capLen = capLen;
    frame.bytes = bytes;
    frame.start = pos + 12;
    frame.fileOffset = at;
    this.ctx.deliver();
  }
}

/** What is wrong with a block's total length, or null. Checked before the block is awaited, so no bogus length is waited for. */
function checkLength(type: number, length: number): string | null {
  if (length < 12) return `block length ${length} is below the minimum of 12`;
  if (length % 4 !== 0) return `block length ${length} is not a multiple of 4`;
  // Only blocks that are read must fit the window; skipped ones stream past whatever their size.
  if (length > MAX_BLOCK_BYTES && READ_BLOCKS.has(type)) return `block length ${length} exceeds the reader's limit of ${MAX_BLOCK_BYTES} bytes`;
  const min = MIN_LENGTH.get(type) ?? 12;
  if (length < min) return `block length ${length} is below the minimum of ${min} for this block type`;
  return null;
}
