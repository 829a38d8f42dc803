import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIp, parseIp } from '../../src/policy/ip';

/** The hand-written IPv6 parser and RFC 5952 printer agree with ipaddr.js on every address form. */
describe('IP parsing', () => {
  it('parses every IPv6 text form ipaddr.js parses, to the same address and the RFC 5952 text', () => {
    fc.assert(
      // ipaddr.js turns a trailing dotted quad into an IPv4-mapped address (::0.0.0.0 → ::ffff:0:0); Go's netip
      // and RFC 4291 read it as the low 32 bits, as we do (checked separately below).
      fc.property(
        fc.ipV6().filter((t) => !t.includes('.')),
        (text) => {
          const ours = parseIp(text);
          const theirs = ipaddr.IPv6.parse(text);
          expect(ours?.family).toBe(6);
          // The text oracle is the WHATWG URL host serializer (RFC 5952: the first of equally long zero runs is
          // compressed, as Go's netip does); ipaddr.js prefers a later run when the first one starts the address.
          expect(canonicalIp(text)).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
          expect(ours!.value.toString(16).padStart(32, '0')).toBe(Buffer.from(theirs.toByteArray()).toString('hex'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('compresses the first of two equally long zero runs (RFC 5952 4.2.3)', () => {
    expect(canonicalIp('0:0:10:1:0:0:1:0')).toBe('::10:1:0:0:1:0');
    expect(canonicalIp('1:0:0:2:0:0:3:4')).toBe('1::2:0:0:3:4');
  });

  it('reads a trailing dotted quad as the low 32 bits', () => {
    expect(canonicalIp('::0.0.0.0')).toBe('::');
    expect(canonicalIp('64:ff9b::192.0.2.33')).toBe('64:ff9b::c000:221');
    expect(canonicalIp('::ffff:1.2.3.4')).toBe('::ffff:102:304');
  });

  it('parses IPv4 like Go netip (no leading zeros) and formats it back', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(formatIp(parseIp(text)!)).toBe(text);
      }),
    );
    for (const bad of [
      '010.1.1.1',
      '1.2.3',
      '256.1.1.1',
      '1.2.3.4.5',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'fe80::1%eth0',
      '::1.2.3.256',
      'g::1',
    ]) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
});
