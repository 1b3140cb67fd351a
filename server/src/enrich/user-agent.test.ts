import { describe, expect, it } from 'vitest';
import { isBotAgent, memoSizes, parseUserAgent } from './user-agent.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('user agent memo', () => {
  it('answers a repeated agent as the first time, with a frozen value', () => {
    const first = parseUserAgent(CHROME);
    expect(first).toEqual({ browser: 'Chrome', browserVersion: '131', os: 'Windows', device: 'desktop' });
    expect(parseUserAgent(CHROME)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect([isBotAgent(CHROME), isBotAgent(CHROME), isBotAgent('Googlebot/2.1'), isBotAgent(' ')]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('stays bounded under many distinct agents and still judges each one', () => {
    for (let i = 0; i < 5000; i++) {
      expect(isBotAgent(`${CHROME} build/${i}`)).toBe(false);
      parseUserAgent(`${CHROME} build/${i}`);
    }
    expect(memoSizes().bots).toBeLessThanOrEqual(2000);
    expect(memoSizes().clients).toBeLessThanOrEqual(2000);
  });

  it('reads the whole of an agent longer than the memo keys (not remembered)', () => {
    const before = memoSizes().bots;
    expect(isBotAgent(`${CHROME}${' x'.repeat(400)} Googlebot/2.1`)).toBe(true);
    expect(memoSizes().bots).toBe(before);
  });
});
