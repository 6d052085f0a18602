/**
 * The analysis decodes every frame where the reader keeps it (decodeFrame's start and end inside a larger buffer)
 * instead of from a view of its own. Both must say the same of every frame of the corpus, offsets apart: in the
 * reader's own buffer, and in one where garbage surrounds the frame, so that a decoder reading past the captured
 * bytes would see that garbage instead of nothing and decode differently.
 */
import { strict as assert } from 'node:assert';
import { readCaptureFile } from '../../src/core/capture/open';
import { createDecodedPacket, decodeFrame } from '../../src/core/decode/decoder';
import { corpusAvailable, corpusEntries, skipWithoutCorpus } from '../helpers/corpus';
import { packetDifference } from '../helpers/samePacket';

describe('decoding in place in the reader\'s buffer (corpus)', function () {
  this.timeout(120_000);
  before(function () {
    if (!corpusAvailable()) skipWithoutCorpus(this);
  });

  it('gives every frame of every corpus capture the same packet as decoding its own bytes, also amid garbage', async () => {
    const own = createDecodedPacket();
    const inPlace = createDecodedPacket();
    const amid = createDecodedPacket();
    // Garbage: every byte 0xff, the value most likely to look like a length, a flag or a next header.
    const host = new Uint8Array(70_000).fill(0xff);
    let frames = 0;
    const differences: string[] = [];
    for (const entry of corpusEntries()) {
      await readCaptureFile(entry.path, (f) => {
        const data = f.data.slice();
        decodeFrame(data, f.linkType, own);
        decodeFrame(f.bytes, f.linkType, inPlace, f.start, f.start + f.capLen);
        const shift = 1 + (f.number % 61);
        const surrounded = data.length + shift < host.length;
        if (surrounded) {
          host.fill(0xff);
          host.set(data, shift);
          decodeFrame(host, f.linkType, amid, shift, shift + data.length);
        }
        const d = packetDifference(own, inPlace, f.start) ?? (surrounded ? packetDifference(own, amid, shift) : null);
        if (d && differences.length < 10) differences.push(`${entry.file} frame ${f.number}: ${d}`);
        frames++;
      });
    }
    assert.deepEqual(differences, []);
    assert.ok(frames > 3000, `${frames} frames compared`);
  });
});
