/**
 * An incident folder whose every string a capture or a log can carry is hostile: HTML and script in log messages,
 * host names and file names, `</script>` to end an inline element, bidi controls (U+202E) to reorder what is shown,
 * and the same in a pcapng interface's name and description and in packet payloads. The capture is the bundled
 * sample (so the Report has real loops and chains) with one more pcapng section appended that carries the hostile
 * interface and a small looped UDP packet whose payload is HTML.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
export const SAMPLE_DIR = join(root, 'media', 'samples', 'incident');

/** Each one tries a different way out of the text: an element, an inline handler, the end of a script element, bidi. */
export const XSS_PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=2</script>',
  '<b onmouseover="window.__pwned=3">bold</b>',
  '"><svg onload="window.__pwned=4">',
  "javascript:window.__pwned=5//",
  '[click](command:workbench.action.quit) ![x](https://example.invalid/x.png)',
  '\u202Egnp.exe\u202C \u2066isolate\u2069 &amp; &lt;',
  '<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>',
] as const;

export const HOSTILE_MESSAGE = `peer down ${XSS_PAYLOADS.join(' ')}`;
export const HOSTILE_HOST = '<b onmouseover="window.__pwned=7">node-evil</b>\u202E';
export const HOSTILE_IF_NAME = '<img src=x onerror="window.__pwned=8">eth0\u202E';
export const HOSTILE_IF_DESCRIPTION = '</script><script>window.__pwned=9</script>';
/** A file name is text too: everything but '/' is allowed on Linux. */
export const HOSTILE_LOG_NAME = '<img src=x onerror=window.__pwned=10>.log';
export const HOSTILE_CAPTURE_NAME = 'core-access<svg onload=window.__pwned=11>.pcapng';

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function block(type: number, body: Buffer): Buffer {
  const len = 12 + pad4(body.length);
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

function option(code: number, value: string): Buffer {
  const v = Buffer.from(value, 'utf8');
  const o = Buffer.alloc(4 + pad4(v.length));
  o.writeUInt16LE(code, 0);
  o.writeUInt16LE(v.length, 2);
  v.copy(o, 4);
  return o;
}

const END_OF_OPTIONS = Buffer.alloc(4);

/** Ethernet + IPv4 + UDP with `payload`: one packet of the appended section. */
function udpFrame(ttl: number, ipId: number, payload: Buffer): Buffer {
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt16BE(ipId, 4);
  ip.writeUInt8(ttl, 8);
  ip.writeUInt8(17, 9);
  Buffer.from([10, 0, 0, 9, 10, 244, 1, 10]).copy(ip, 12);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(8080, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const eth = Buffer.from('02000000000202000000000108 00'.replace(/ /g, ''), 'hex');
  return Buffer.concat([eth, ip, udp, payload]);
}

/** A second pcapng section: hostile interface name/description, and a UDP packet with an HTML payload looping (TTL -2 per pass). */
function hostileSection(startSec: number): Buffer {
  const shb = Buffer.concat([Buffer.from([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0]), Buffer.alloc(8, 0xff), option(1, HOSTILE_IF_DESCRIPTION), END_OF_OPTIONS]);
  const idbHead = Buffer.alloc(8);
  idbHead.writeUInt16LE(1, 0); // Ethernet
  idbHead.writeUInt32LE(262144, 4);
  const idb = Buffer.concat([idbHead, option(2, HOSTILE_IF_NAME), option(3, HOSTILE_IF_DESCRIPTION), END_OF_OPTIONS]);
  const payload = Buffer.from(`GET /${XSS_PAYLOADS.join('')} HTTP/1.1\r\n\r\n`, 'utf8');
  const epbs: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    const frame = udpFrame(64 - 2 * i, 0x4242, payload);
    const head = Buffer.alloc(20);
    const us = BigInt(startSec) * 1_000_000n + BigInt(i * 300);
    head.writeUInt32LE(0, 0);
    head.writeUInt32LE(Number(us >> 32n), 4);
    head.writeUInt32LE(Number(us & 0xffffffffn), 8);
    head.writeUInt32LE(frame.length, 12);
    head.writeUInt32LE(frame.length, 16);
    epbs.push(block(6, Buffer.concat([head, frame, Buffer.alloc(pad4(frame.length) - frame.length), END_OF_OPTIONS])));
  }
  return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
}

/** Writes the folder and returns its path; the caller removes it. */
export function writeHostileIncident(): string {
  const dir = mkdtempSync(join(tmpdir(), 'il-xss-'));
  for (const f of readdirSync(SAMPLE_DIR)) {
    if (f.endsWith('.pcapng') || f === 'node-gobgpd.log') continue;
    copyFileSync(join(SAMPLE_DIR, f), join(dir, f));
  }
  // The capture: the sample, then the hostile section a few seconds after its last packet.
  const sample = readFileSync(join(SAMPLE_DIR, 'core-access.pcapng'));
  writeFileSync(join(dir, HOSTILE_CAPTURE_NAME), Buffer.concat([sample, hostileSection(1795595760)]));
  // GoBGP's log with every message and a Peer Down reason made hostile (the lines stay GoBGP lines, so they are
  // still read as BGP events and join the chains).
  const gobgp = readFileSync(join(SAMPLE_DIR, 'node-gobgpd.log'), 'utf8')
    .split('\n')
    .map((l) => (l ? `${l} Reason="${HOSTILE_MESSAGE.replace(/"/g, "'")}"` : l))
    .join('\n');
  writeFileSync(join(dir, 'node-gobgpd.log'), gobgp);
  // A log in a format of the user's own (see CUSTOM_FORMAT): host and message taken from the line as they are.
  const t0 = Date.UTC(2026, 10, 25, 8, 35, 40);
  const lines = XSS_PAYLOADS.map((p, i) => `${new Date(t0 + i * 1000).toISOString()} host=${HOSTILE_HOST} msg=${p} ${HOSTILE_MESSAGE}`);
  writeFileSync(join(dir, HOSTILE_LOG_NAME), `${lines.join('\n')}\n`);
  return dir;
}

export const CUSTOM_FORMAT = { name: 'hostile', pattern: '^(?<time>\\S+) host=(?<host>.+?) msg=(?<msg>.*)$' };
