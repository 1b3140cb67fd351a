import { describe, expect, it } from 'vitest';
import { addressBehindProxies, parseTrustProxy } from './trust-proxy.ts';

const walk = (trust: string, socket: string, xff?: string) =>
  addressBehindProxies(socket, xff, parseTrustProxy(trust));

describe('X-Forwarded-For through trusted proxies', () => {
  it('ignores the header unless a proxy is trusted', () => {
    for (const off of ['0', 'false', 'no', ''])
      expect(walk(off, '203.0.113.7', '81.2.69.142')).toBe('203.0.113.7');
  });

  it('takes the entry the nearest trusted proxy wrote, never one the client wrote', () => {
    // One proxy: it appends the address it saw; what the client sent stands to its left.
    expect(walk('1', '10.0.0.2', '81.2.69.142')).toBe('81.2.69.142');
    expect(walk('1', '10.0.0.2', '81.2.69.142, 5.9.0.1')).toBe('5.9.0.1');
    expect(walk('true', '10.0.0.2', 'forged, 5.9.0.1')).toBe('5.9.0.1');
    // Two proxies (CDN then load balancer): the second entry from the right.
    expect(walk('2', '10.0.0.2', 'forged, 5.9.0.1, 172.16.0.4')).toBe('5.9.0.1');
    // Fewer entries than hops: the leftmost there is.
    expect(walk('3', '10.0.0.2', '5.9.0.1')).toBe('5.9.0.1');
    expect(walk('1', '10.0.0.2', ' , ')).toBe('10.0.0.2');
  });

  it('with a list, trusts only peers in it, hop by hop', () => {
    expect(walk('loopback', '127.0.0.1', 'forged, 5.9.0.1')).toBe('5.9.0.1');
    expect(walk('loopback', '::ffff:127.0.0.1', '5.9.0.1')).toBe('5.9.0.1');
    // A client connecting directly is not a proxy: its header is not read.
    expect(walk('loopback', '203.0.113.7', '81.2.69.142')).toBe('203.0.113.7');
    expect(walk('loopback,10.0.0.0/8', '127.0.0.1', 'forged, 5.9.0.1, 10.1.2.3')).toBe('5.9.0.1');
    expect(walk('10.0.0.0/8', '10.0.0.2', 'forged, 10.9.9.9')).toBe('forged');
  });

  it('refuses a value that is neither a hop count nor addresses', () => {
    expect(() => parseTrustProxy('somewhere')).toThrow(/hop count/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/hop count/);
  });
});
