import { strict as assert } from 'node:assert';
import { ipv4Text, ipv6TextAt, macText } from '../../../src/core/decode/text';

function v6(hex: string): string {
  const groups = hex.split(':').map((g) => parseInt(g, 16));
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 255;
  });
  return ipv6TextAt(b, 0);
}

describe('address text', () => {
  it('IPv6 follows RFC 5952: lower case, no leading zeros, longest zero run compressed', () => {
    assert.equal(v6('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(v6('0:0:0:0:0:0:0:0'), '::');
    assert.equal(v6('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(v6('fe80:0:0:0:abcd:0:0:1'), 'fe80::abcd:0:0:1'); // first of two equal runs
    assert.equal(v6('2001:db8:0:0:1:0:0:0'), '2001:db8:0:0:1::'); // the longer run wins
    assert.equal(v6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // a single zero group stays
    assert.equal(v6('FF02:0:0:0:0:0:0:FB'), 'ff02::fb');
    assert.equal(v6('0:0:0:0:0:ffff:c000:0201'), '::ffff:192.0.2.1');
  });

  it('IPv4 and MAC', () => {
    assert.equal(ipv4Text(0xc0a80101), '192.168.1.1');
    assert.equal(ipv4Text(0xffffffff), '255.255.255.255');
    assert.equal(macText(0x0242ac11000a), '02:42:ac:11:00:0a');
    assert.equal(macText(0xffffffffffff), 'ff:ff:ff:ff:ff:ff');
  });
});
