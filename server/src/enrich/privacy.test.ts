import { describe, expect, it } from 'vitest';
import { hostAllowed } from './privacy.ts';

describe('hostAllowed', () => {
  it('allows any host when the list is empty', () => {
    expect(hostAllowed('anything.example', [])).toBe(true);
  });
  it('matches exact hosts and *. subdomains, nothing else', () => {
    const list = ['shop.example', '*.cdn.example'];
    expect(hostAllowed('shop.example', list)).toBe(true);
    expect(hostAllowed('www.shop.example', list)).toBe(false);
    expect(hostAllowed('evilshop.example', list)).toBe(false);
    expect(hostAllowed('a.cdn.example', list)).toBe(true);
    expect(hostAllowed('a.b.cdn.example', list)).toBe(true);
    expect(hostAllowed('cdn.example', list)).toBe(false);
    expect(hostAllowed('xcdn.example', list)).toBe(false);
    expect(hostAllowed('shop.example.evil.test', list)).toBe(false);
    expect(hostAllowed('', list)).toBe(false);
  });
});
