/** Mutations for the fuzzer: small, local damage of the kinds real files suffer, plus crafted extremes. */

export type Rng = () => number;

const INTERESTING32 = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0x10000, 0xffff, 12, 16, 28, 32];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)];
}

export function mutateBytes(rng: Rng, seed: Uint8Array, other: Uint8Array): Uint8Array {
  const n = 1 + Math.floor(rng() * 4);
  let b = new Uint8Array(seed);
  for (let k = 0; k < n; k++) {
    if (b.length === 0) return b;
    const op = Math.floor(rng() * 7);
    const at = Math.floor(rng() * b.length);
    switch (op) {
      case 0: // bit flips
        b[at] ^= 1 << Math.floor(rng() * 8);
        break;
      case 1: {
        // a length/count/type field set to an extreme, at a 4-byte boundary, either byte order
        const aligned = at & ~3;
        if (aligned + 4 <= b.length) {
          const v = pick(rng, INTERESTING32);
          new DataView(b.buffer, b.byteOffset).setUint32(aligned, v, rng() < 0.5);
        }
        break;
      }
      case 2: // cut short
        b = b.slice(0, at);
        break;
      case 3: {
        // duplicate a slice (records repeated, blocks misaligned)
        const len = Math.min(b.length - at, 1 + Math.floor(rng() * 256));
        const ins = b.slice(at, at + len);
        const c = new Uint8Array(b.length + len);
        c.set(b.subarray(0, at));
        c.set(ins, at);
        c.set(b.subarray(at), at + len);
        b = c;
        break;
      }
      case 4: {
        // splice another file's tail in
        const from = Math.floor(rng() * other.length);
        const c = new Uint8Array(at + (other.length - from));
        c.set(b.subarray(0, at));
        c.set(other.subarray(from), at);
        b = c;
        break;
      }
      case 5: // random byte run
        for (let i = at; i < Math.min(b.length, at + 8); i++) b[i] = Math.floor(rng() * 256);
        break;
      default: // 16-bit field extremes (IP total length, IHL area, ports, UDP length)
        if (at + 2 <= b.length) new DataView(b.buffer, b.byteOffset).setUint16(at, pick(rng, [0, 1, 0xffff, 0x8000, 20, 40]), rng() < 0.5);
    }
  }
  return b;
}

/** Log-specific damage: NULs, invalid UTF-8, lines glued together or broken, CRs. */
export function mutateLog(rng: Rng, seed: Uint8Array, other: Uint8Array): Uint8Array {
  const parts: number[] = Array.from(seed);
  const n = 1 + Math.floor(rng() * 5);
  for (let k = 0; k < n && parts.length > 0; k++) {
    const at = Math.floor(rng() * parts.length);
    switch (Math.floor(rng() * 6)) {
      case 0:
        parts.splice(at, 0, 0);
        break;
      case 1:
        parts.splice(at, 0, pick(rng, [0xc3, 0xff, 0xfe, 0xed, 0xa0, 0x80]), pick(rng, [0x28, 0x80, 0xbf]));
        break;
      case 2:
        if (parts[at] === 10) parts.splice(at, 1);
        else parts.splice(at, 0, 10);
        break;
      case 3:
        parts.splice(at, 0, 13);
        break;
      case 4:
        parts.splice(at, 0, ...Array.from(other.subarray(0, Math.min(other.length, 200))));
        break;
      default:
        parts[at] = Math.floor(rng() * 256);
    }
  }
  return Uint8Array.from(parts);
}

function pcapWith(linkType: number, frames: Uint8Array[]): Uint8Array {
  let size = 24;
  for (const f of frames) size += 16 + f.length;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 0x40000, true);
  dv.setUint32(20, linkType, true);
  let p = 24;
  for (const f of frames) {
    dv.setUint32(p + 8, f.length, true);
    dv.setUint32(p + 12, f.length, true);
    b.set(f, p + 16);
    p += 16 + f.length;
  }
  return b;
}

/** Crafted extremes from the issue: deep tunnels, 100k VLAN tags, long IPv6 extension chains, deep MPLS stacks. */
export function craftedCaptures(): Array<{ name: string; bytes: Uint8Array }> {
  const eth = (etherType: number, body: Uint8Array): Uint8Array => {
    const f = new Uint8Array(14 + body.length);
    f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
    f[12] = etherType >> 8;
    f[13] = etherType & 0xff;
    f.set(body, 14);
    return f;
  };
  // 100k VLAN tags (each 4 bytes: TCI + next ethertype 0x8100), then IPv4.
  const vlans = new Uint8Array(100_000 * 4 + 20);
  for (let i = 0; i < 100_000; i++) {
    vlans[i * 4 + 1] = 7;
    vlans[i * 4 + 2] = i === 99_999 ? 0x08 : 0x81;
    vlans[i * 4 + 3] = 0;
  }
  vlans.set([0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 100_000 * 4);
  // IPv4-in-IPv4 nested 3000 deep (proto 4), total length kept plausible for each layer.
  const depth = 3000;
  const deep = new Uint8Array(depth * 20 + 8);
  for (let i = 0; i < depth; i++) {
    const len = deep.length - i * 20;
    deep.set([0x45, 0, (len >> 8) & 0xff, len & 0xff, 0, i & 0xff, 0, 0, 64, i === depth - 1 ? 17 : 4, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], i * 20);
  }
  // IPv6 with 5000 destination-options headers (next header 60, length 0 = 8 bytes each).
  const n6 = 5000;
  const v6 = new Uint8Array(40 + n6 * 8);
  v6.set([0x60, 0, 0, 0, ((n6 * 8) >> 8) & 0xff, (n6 * 8) & 0xff, 60, 64], 0);
  for (let i = 0; i < n6; i++) v6[40 + i * 8] = i === n6 - 1 ? 59 : 60;
  // MPLS stack of 50k labels, bottom-of-stack only on the last.
  const mpls = new Uint8Array(50_000 * 4 + 20);
  for (let i = 0; i < 50_000; i++) mpls.set([0, 0x10, i === 49_999 ? 1 : 0, 64], i * 4);
  mpls.set([0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 200_000);
  // GRE inside GRE 2000 deep.
  const greDepth = 2000;
  const gre = new Uint8Array(greDepth * 24 + 20);
  for (let i = 0; i < greDepth; i++) {
    const len = gre.length - i * 24;
    gre.set([0x45, 0, (len >> 8) & 0xff, len & 0xff, 0, 1, 0, 0, 64, 47, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 0, 0x08, 0x00], i * 24);
  }
  return [
    { name: '100k-vlan-tags', bytes: pcapWith(1, [eth(0x8100, vlans)]) },
    { name: 'ipip-3000-deep', bytes: pcapWith(1, [eth(0x0800, deep)]) },
    { name: 'ipv6-5000-ext-headers', bytes: pcapWith(1, [eth(0x86dd, v6)]) },
    { name: 'mpls-50k-labels', bytes: pcapWith(1, [eth(0x8847, mpls)]) },
    { name: 'gre-2000-deep', bytes: pcapWith(1, [eth(0x0800, gre)]) },
    { name: 'empty', bytes: new Uint8Array(0) },
    { name: 'zeros-64k', bytes: new Uint8Array(65536) },
  ];
}

export function craftedLogs(): Array<{ name: string; bytes: Uint8Array }> {
  const huge = new Uint8Array(100 * 1024 * 1024).fill(0x61); // 100 MB line without a newline
  const nul = new Uint8Array(4096);
  const badUtf8 = Uint8Array.from({ length: 8192 }, (_, i) => (i % 3 === 0 ? 0xff : i % 3 === 1 ? 0xc3 : 0x0a));
  return [
    { name: 'line-100MB-no-newline', bytes: huge },
    { name: 'nul-bytes', bytes: nul },
    { name: 'invalid-utf8', bytes: badUtf8 },
  ];
}

/**
 * Many small flips spread over the whole file: most land inside packet bytes, so the file stays readable and the
 * detectors downstream see hundreds of odd packets (TTLs, IDs, lengths, ports, flags) instead of one fatal record.
 */
export function scatterFlips(rng: Rng, seed: Uint8Array, count: number): Uint8Array {
  const b = new Uint8Array(seed);
  for (let k = 0; k < count && b.length > 0; k++) b[Math.floor(rng() * b.length)] ^= 1 << Math.floor(rng() * 8);
  return b;
}
