/**
 * Several named files in one byte string, so that a multi-file fuzz input (a capture and logs for `analyze`) is saved
 * and replayed like any other finding: [u32 name length][name][u32 body length][body]... little-endian.
 */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export function packFiles(files: NamedBytes[]): Uint8Array {
  const names = files.map((f) => Buffer.from(f.name, 'utf8'));
  let size = 0;
  files.forEach((f, i) => (size += 8 + names[i].length + f.bytes.length));
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let p = 0;
  files.forEach((f, i) => {
    dv.setUint32(p, names[i].length, true);
    out.set(names[i], p + 4);
    p += 4 + names[i].length;
    dv.setUint32(p, f.bytes.length, true);
    out.set(f.bytes, p + 4);
    p += 4 + f.bytes.length;
  });
  return out;
}

/** The inverse of packFiles; a saved finding is our own output, so a malformed bundle is an error. */
export function unpackFiles(b: Uint8Array): NamedBytes[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const files: NamedBytes[] = [];
  let p = 0;
  const take = (): Uint8Array => {
    if (p + 4 > b.length) throw new Error(`bundle cut at byte ${p}`);
    const n = dv.getUint32(p, true);
    if (p + 4 + n > b.length) throw new Error(`bundle entry at byte ${p} runs past the end`);
    const s = b.subarray(p + 4, p + 4 + n);
    p += 4 + n;
    return s;
  };
  while (p < b.length) {
    const name = Buffer.from(take()).toString('utf8');
    files.push({ name, bytes: take() });
  }
  return files;
}
