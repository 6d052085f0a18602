import { strict as assert } from 'node:assert';
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { ipv6TextAt } from '../../../src/core/decode/text';
import { PrefixMatcher, ipv6Bytes } from '../../../src/core/detect/prefixMatch';

const v4Text = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** Addresses near each other, so that prefixes of every length both match and miss. */
const v4 = fc.tuple(fc.constantFrom(0x0af40100, 0x0af40000, 0xc0a80000, 0), fc.integer({ min: 0, max: 0x1ffff })).map(([base, low]) => (base + low) >>> 0);
const v6 = fc.tuple(fc.constantFrom('2001:db8::', 'fd00:1::', '::ffff:0:0', '::'), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 16 })).map(([base, noise, keep]) => {
  const b = ipv6Bytes(base);
  for (let k = keep; k < 16; k++) b[k] = noise[k]!;
  return b;
});

describe('PrefixMatcher', () => {
  it('agrees with node\'s BlockList on IPv4 prefixes of every length', () => {
    fc.assert(fc.property(fc.array(fc.tuple(v4, fc.integer({ min: 0, max: 32 })), { minLength: 1, maxLength: 4 }), fc.array(v4, { maxLength: 30 }), (prefixes, addresses) => {
      const texts = prefixes.map(([a, len]) => `${v4Text(a)}/${len}`);
      const list = new BlockList();
      for (const [a, len] of prefixes) list.addSubnet(v4Text(a), len, 'ipv4');
      const m = new PrefixMatcher(texts);
      for (const a of addresses) {
        assert.equal(m.has4(a), list.check(v4Text(a), 'ipv4'), `${v4Text(a)} in ${texts.join(', ')}`);
        assert.equal(m.hasText(v4Text(a)), list.check(v4Text(a), 'ipv4'));
      }
    }), { numRuns: 300 });
  });

  it('agrees with node\'s BlockList on IPv6 prefixes of every length, written as the Report writes them', () => {
    fc.assert(fc.property(fc.array(fc.tuple(v6, fc.integer({ min: 0, max: 128 })), { minLength: 1, maxLength: 4 }), fc.array(v6, { maxLength: 30 }), (prefixes, addresses) => {
      const texts = prefixes.map(([a, len]) => `${ipv6TextAt(a, 0)}/${len}`);
      const list = new BlockList();
      for (const [a, len] of prefixes) list.addSubnet(ipv6TextAt(a, 0), len, 'ipv6');
      const m = new PrefixMatcher(texts);
      for (const a of addresses) {
        const text = ipv6TextAt(a, 0);
        assert.equal(m.has6(a, 0), list.check(text, 'ipv6'), `${text} in ${texts.join(', ')}`);
        assert.equal(m.hasText(text), list.check(text, 'ipv6'));
      }
    }), { numRuns: 300 });
  });

  it('reads IPv6 text back to the bytes it was written from (compressed runs, an IPv4-mapped tail)', () => {
    fc.assert(fc.property(v6, (b) => assert.deepEqual(ipv6Bytes(ipv6TextAt(b, 0)), b)), { numRuns: 500 });
    assert.deepEqual([...ipv6Bytes('::ffff:10.244.1.7').subarray(10)], [0xff, 0xff, 10, 244, 1, 7]);
  });

  it('matches nothing for prefixes that do not parse, and keeps the ones that do', () => {
    const m = new PrefixMatcher(['not-an-address/24', '10.0.0.0/33', '10.244.1.0/24', 'fd00::/x']);
    assert.equal(m.hasText('10.244.1.9'), true);
    assert.equal(m.hasText('10.0.0.1'), false);
    assert.equal(m.hasText('fd00::1'), false);
    assert.equal(m.hasText('garbage'), false);
  });
});
