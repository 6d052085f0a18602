/**
 * Builds small capture files in memory for tests: classic pcap and pcapng (SHB + IDBs + EPBs), plus the
 * block builders needed to assemble deliberately odd pcapng files (SPB, custom blocks, several sections).
 * Formats follow the pcap / pcapng specifications (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng).
 */

export interface WriterFrame {
  /** Captured bytes. */
  data: Uint8Array;
  /** Seconds since 1970 (pcap stores them as unsigned 32-bit). */
  sec: number;
  /** Nanoseconds within the second (truncated to µs for microsecond pcap, scaled to the pcapng resolution). */
  nsec: number;
  /** Original length; defaults to data.length. */
  origLen?: number;
  /** pcapng: link type of the frame's interface (one IDB is written per distinct link type). Default: opts.linkType or 1. */
  linkType?: number;
  /** pcapng: explicit interface index (overrides the link-type mapping; must exist in opts.interfaces). */
  interfaceId?: number;
}

export interface PcapWriteOptions {
  /** LinkType header field (may carry FCS bits in the upper 16). Default 1 (Ethernet). */
  linkType?: number;
  snapLen?: number;
  /** Nanosecond magic (a1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  bigEndian?: boolean;
  versionMajor?: number;
  versionMinor?: number;
}

/** A classic pcap file: 24-byte header, then a 16-byte header + data per frame. */
export function writePcap(frames: readonly WriterFrame[], opts: PcapWriteOptions = {}): Buffer {
  const le = !opts.bigEndian;
  const total = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = Buffer.alloc(total);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, opts.versionMajor ?? 2, le);
  dv.setUint16(6, opts.versionMinor ?? 4, le);
  dv.setUint32(16, opts.snapLen ?? 262144, le);
  dv.setUint32(20, (opts.linkType ?? 1) >>> 0, le);
  let at = 24;
  for (const f of frames) {
    dv.setUint32(at, f.sec >>> 0, le);
    dv.setUint32(at + 4, opts.nanosecond ? f.nsec : Math.floor(f.nsec / 1000), le);
    dv.setUint32(at + 8, f.data.length, le);
    dv.setUint32(at + 12, f.origLen ?? f.data.length, le);
    out.set(f.data, at + 16);
    at += 16 + f.data.length;
  }
  return out;
}

// ---------------------------------------------------------------- pcapng block builders

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Encodes options (each padded to 4 bytes) followed by opt_endofopt; empty input gives no bytes at all. */
export function encodeOptions(options: readonly PcapngOption[], bigEndian = false): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const size = options.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const o of options) {
    dv.setUint16(at, o.code, !bigEndian);
    dv.setUint16(at + 2, o.value.length, !bigEndian);
    out.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  return out; // the last 4 bytes stay zero: opt_endofopt
}

/** One block: type, total length, body padded to 4, trailing total length. */
export function pcapngBlock(type: number, body: Uint8Array, bigEndian = false): Buffer {
  const total = 12 + pad4(body.length);
  const out = Buffer.alloc(total);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, type >>> 0, !bigEndian);
  dv.setUint32(4, total, !bigEndian);
  out.set(body, 8);
  dv.setUint32(total - 4, total, !bigEndian);
  return out;
}

function body(size: number, fill: (dv: DataView, le: boolean) => void, bigEndian: boolean, tail: Uint8Array[] = []): Uint8Array {
  const head = new Uint8Array(size);
  fill(new DataView(head.buffer), !bigEndian);
  return Buffer.concat([head, ...tail]);
}

export function shb(opts: { bigEndian?: boolean; major?: number; minor?: number; options?: PcapngOption[] } = {}): Buffer {
  const be = opts.bigEndian ?? false;
  return pcapngBlock(0x0a0d0d0a, body(16, (dv, le) => {
    dv.setUint32(0, 0x1a2b3c4d, le);
    dv.setUint16(4, opts.major ?? 1, le);
    dv.setUint16(6, opts.minor ?? 0, le);
    dv.setInt32(8, -1, le); // section length: unknown (-1 as a 64-bit value)
    dv.setInt32(12, -1, le);
  }, be, [encodeOptions(opts.options ?? [], be)]), be);
}

export interface IdbSpec {
  linkType: number;
  snapLen?: number;
  /** Raw if_tsresol byte (e.g. 6 = µs, 9 = ns, 0x88 = 2^-8). Omitted = option absent (10^-6). */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsOffset?: number;
  name?: string;
  description?: string;
}

export function idb(spec: IdbSpec, bigEndian = false): Buffer {
  const options: PcapngOption[] = [];
  if (spec.name !== undefined) options.push({ code: 2, value: Buffer.from(spec.name, 'utf8') });
  if (spec.description !== undefined) options.push({ code: 3, value: Buffer.from(spec.description, 'utf8') });
  if (spec.tsresol !== undefined) options.push({ code: 9, value: Uint8Array.of(spec.tsresol) });
  if (spec.tsOffset !== undefined) {
    const v = new Uint8Array(8);
    new DataView(v.buffer).setBigInt64(0, BigInt(spec.tsOffset), !bigEndian);
    options.push({ code: 14, value: v });
  }
  return pcapngBlock(1, body(8, (dv, le) => {
    dv.setUint16(0, spec.linkType, le);
    dv.setUint32(4, spec.snapLen ?? 0, le);
  }, bigEndian, [encodeOptions(options, bigEndian)]), bigEndian);
}

/** EPB and obsolete PB share a layout after their interface field: ts high, ts low, captured and original length. */
function timedPacket(type: number, writeInterface: (dv: DataView, le: boolean) => void, ticks: bigint, data: Uint8Array,
  origLen: number, bigEndian: boolean): Buffer {
  return pcapngBlock(type, body(20, (dv, le) => {
    writeInterface(dv, le);
    dv.setUint32(4, Number(ticks >> 32n), le);
    dv.setUint32(8, Number(ticks & 0xffffffffn), le);
    dv.setUint32(12, data.length, le);
    dv.setUint32(16, origLen, le);
  }, bigEndian, [data]), bigEndian);
}

/** Enhanced Packet Block; `ticks` is the raw 64-bit timestamp in the interface's units. */
export function epb(interfaceId: number, ticks: bigint, data: Uint8Array, origLen = data.length, bigEndian = false): Buffer {
  return timedPacket(6, (dv, le) => dv.setUint32(0, interfaceId, le), ticks, data, origLen, bigEndian);
}

/** Obsolete Packet Block (type 2): a 16-bit interface id and a 16-bit drops count (left 0) instead of EPB's 32-bit id. */
export function obsoletePacketBlock(interfaceId: number, ticks: bigint, data: Uint8Array, origLen = data.length, bigEndian = false): Buffer {
  return timedPacket(2, (dv, le) => dv.setUint16(0, interfaceId, le), ticks, data, origLen, bigEndian);
}

/** Simple Packet Block (no timestamp, interface 0). `data` may be shorter than origLen when the IDB snaplen cuts it. */
export function spb(data: Uint8Array, origLen = data.length, bigEndian = false): Buffer {
  return pcapngBlock(3, body(4, (dv, le) => dv.setUint32(0, origLen, le), bigEndian, [data]), bigEndian);
}

/** Custom Block (0x00000BAD, or 0x40000BAD when `copyable` is false) with a Private Enterprise Number. */
export function customBlock(pen: number, payload: Uint8Array, copyable = true, bigEndian = false): Buffer {
  return pcapngBlock(copyable ? 0x00000bad : 0x40000bad, body(4, (dv, le) => dv.setUint32(0, pen, le), bigEndian, [payload]), bigEndian);
}

/** Ticks per second for a raw if_tsresol byte (bit 7 set: power of two). */
export function ticksPerSecond(tsresol: number | undefined): bigint {
  if (tsresol === undefined) return 1_000_000n;
  return tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
}

/** Converts sec + nsec to the interface's ticks (truncating when the resolution is coarser than 1 ns). */
export function toTicks(sec: number, nsec: number, tsresol: number | undefined): bigint {
  const perSec = ticksPerSecond(tsresol);
  return BigInt(sec) * perSec + (BigInt(nsec) * perSec) / 1_000_000_000n;
}

export interface PcapngWriteOptions {
  bigEndian?: boolean;
  /** IDBs to write. Default: one per distinct frame link type (in order of first use), ns resolution. */
  interfaces?: IdbSpec[];
  /** Default link type for frames that name none. Default 1 (Ethernet). */
  linkType?: number;
}

/** A one-section pcapng file: SHB, IDBs, then one EPB per frame. */
export function writePcapng(frames: readonly WriterFrame[], opts: PcapngWriteOptions = {}): Buffer {
  const be = opts.bigEndian ?? false;
  const defaultLink = opts.linkType ?? 1;
  const interfaces: IdbSpec[] = opts.interfaces ? [...opts.interfaces] : [];
  if (!opts.interfaces) {
    for (const f of frames) {
      const lt = f.linkType ?? defaultLink;
      if (!interfaces.some((i) => i.linkType === lt)) interfaces.push({ linkType: lt, tsresol: 9 });
    }
    if (interfaces.length === 0) interfaces.push({ linkType: defaultLink, tsresol: 9 });
  }
  const parts: Buffer[] = [shb({ bigEndian: be }), ...interfaces.map((i) => idb(i, be))];
  for (const f of frames) {
    const id = f.interfaceId ?? interfaces.findIndex((i) => i.linkType === (f.linkType ?? defaultLink));
    if (id < 0 || id >= interfaces.length) throw new Error(`writePcapng: frame names interface ${id}, which is not written`);
    parts.push(epb(id, toTicks(f.sec, f.nsec, interfaces[id]!.tsresol), f.data, f.origLen ?? f.data.length, be));
  }
  return Buffer.concat(parts);
}
