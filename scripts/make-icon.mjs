// Draws media/icon.png (128x128 RGBA): a lens over a TTL ladder, the picture of a looped packet seen again and
// again with its TTL stepping down. Hand-written PNG encoder on node's zlib because the image is a few shapes
// with anti-aliased edges; an image library would be a dependency for one file. Run: node scripts/make-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const SIZE = 128;
const px = new Float64Array(SIZE * SIZE * 4); // premultiplied-free RGBA in 0..1, composited "over"

/** Paints colour [r,g,b] with coverage from a signed distance (negative inside), anti-aliased over ~1 px. */
function paint(sdf, [r, g, b], alpha = 1) {
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const d = sdf(x + 0.5, y + 0.5);
      const cover = Math.min(1, Math.max(0, 0.5 - d)) * alpha;
      if (cover <= 0) continue;
      const i = (y * SIZE + x) * 4;
      const a0 = px[i + 3];
      const a = cover + a0 * (1 - cover);
      px[i] = (r * cover + px[i] * a0 * (1 - cover)) / a;
      px[i + 1] = (g * cover + px[i + 1] * a0 * (1 - cover)) / a;
      px[i + 2] = (b * cover + px[i + 2] * a0 * (1 - cover)) / a;
      px[i + 3] = a;
    }
  }
}

const roundedRect = (cx, cy, hw, hh, rad) => (x, y) => {
  const qx = Math.abs(x - cx) - hw + rad;
  const qy = Math.abs(y - cy) - hh + rad;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - rad;
};
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2;
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const px_ = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px_ * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px_ - dx * t, py - dy * t) - w / 2;
};

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);

// Background tile.
paint(roundedRect(64, 64, 60, 60, 22), hex('#1B2A3A'));
// TTL ladder: sightings stepping down by 2, alternating direction colours, behind the lens.
const dots = [
  [28, 30, hex('#4FC1FF')], [40, 40, hex('#F2A541')], [52, 50, hex('#4FC1FF')], [64, 60, hex('#F2A541')],
  [76, 70, hex('#4FC1FF')], [88, 80, hex('#F2A541')], [100, 90, hex('#E5534B')],
];
for (let i = 1; i < dots.length; i++) paint(segment(dots[i - 1][0], dots[i - 1][1], dots[i][0], dots[i][1], 3), hex('#5A6B7D'));
for (const [x, y, c] of dots) paint(disc(x, y, 6), c);
// The lens: glass tint, rim and handle.
paint(disc(56, 54, 30), hex('#9CDCFE'), 0.18);
paint(ring(56, 54, 30, 7), hex('#E8EEF4'));
paint(segment(78, 76, 104, 102, 13), hex('#E8EEF4'));

// PNG: signature, IHDR, one IDAT (filter 0 per row), IEND.
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0;
  for (let x = 0; x < SIZE * 4; x++) raw[y * (SIZE * 4 + 1) + 1 + x] = Math.round(px[y * SIZE * 4 + x] * 255);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
