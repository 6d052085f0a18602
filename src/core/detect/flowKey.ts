/**
 * The identity of a TCP connection, the same for both directions: the two endpoints hashed in a canonical order
 * (the lower address first, then the lower port), and which side sent the packet. Computed where the frame is
 * decoded (frameFacts.ts) and read by the impact tracker.
 */
import { LaneHash } from './hash';

const hash = new LaneHash();

/** Reused output of `flowKeyOf`. */
export const flowKey = { h1: 0, h2: 0, side: 0 as 0 | 1 };

/** IPv6 addresses at `data[srcOff..+16)`, `data[dstOff..+16)`; IPv4 ones in src4, dst4. Fills `flowKey`. */
export function flowKeyOf(v6: boolean, data: Uint8Array, src4: number, dst4: number, srcOff: number, dstOff: number, sp: number, dp: number): void {
  let cmp = 0;
  if (!v6) cmp = src4 === dst4 ? 0 : src4 < dst4 ? -1 : 1;
  else for (let i = 0; i < 16 && cmp === 0; i++) cmp = data[srcOff + i]! - data[dstOff + i]!;
  if (cmp === 0) cmp = sp - dp;
  const side: 0 | 1 = cmp <= 0 ? 0 : 1;
  const h = hash.reset(0x6a09e667);
  const ports = side === 0 ? (sp << 16) | dp : (dp << 16) | sp;
  if (!v6) h.stripe(side === 0 ? src4 : dst4, side === 0 ? dst4 : src4, ports, 0x0400_0004);
  else {
    const lowOff = side === 0 ? srcOff : dstOff;
    const highOff = side === 0 ? dstOff : srcOff;
    h.bytes(data, lowOff, lowOff + 16).bytes(data, highOff, highOff + 16).word(ports);
  }
  h.finish();
  flowKey.h1 = h.h1;
  flowKey.h2 = h.h2;
  flowKey.side = side;
}
