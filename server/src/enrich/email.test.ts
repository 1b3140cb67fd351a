import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianRatio } from '../../../test/helpers/cpu-ratio.ts';
import { findEmails, hasEmail, redactEmails } from './email.ts';

// The quadratic pattern the scanner replaced: the reference for what an address is. Only ever run
// here, on short strings.
const OLD = /[^\s@/?#&=:]+@[^\s@/?#&=]+\.[a-z]{2,}/gi;

const spansOf = (s: string) =>
  [...s.matchAll(OLD)].map((m) => ({ start: m.index, end: m.index + m[0].length }));

describe('findEmails', () => {
  it.each([
    ['jane@example.com', 'x'],
    ['mailto:jane@example.com?subject=hi', 'x'],
    ['a@b.com.x@c.com', 'x'],
    ['jane+shop@example.co.uk and bob@mail.example.org', 'x'],
    ['@example.com jane@ @@ a@b.c a@.co a@b.COM', 'x'],
    ['ref=jane@example.com&page=2', 'x'],
    ['x\u00a0jane@example.com\u2028', 'x'],
    ['a:b@c.de', 'x'],
  ])('finds what the old regex found in %j', (s) => {
    expect(findEmails(s)).toEqual(spansOf(s));
  });

  it('agrees with the old regex on arbitrary short text', () => {
    const char = fc.constantFrom(
      'a',
      'B',
      'z',
      '.',
      '@',
      ' ',
      '\u00a0',
      '/',
      '?',
      '#',
      '&',
      '=',
      ':',
      '-',
      'é',
      '1',
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        expect(findEmails(s)).toEqual(spansOf(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('redacts each address and keeps the text around it', () => {
    expect(redactEmails('write to jane@example.com or bob@example.org.')).toBe(
      'write to [redacted] or [redacted].',
    );
    expect(redactEmails('no address here @ all')).toBe('no address here @ all');
    expect(hasEmail('a@b.cd')).toBe(true);
    expect(hasEmail('a@b.c')).toBe(false);
  });
});

describe('the e-mail scan', () => {
  // Shapes that made the old regex quadratic (long runs it rescanned from every start), and a run
  // of `@` that a scan expanding around each `@` without bounds would make quadratic.
  const shapes = ['a', 'a.', '@', 'a@', '.@a', 'a@b.'];
  it.each(shapes)('costs time linear in the length of runs of %j', (unit) => {
    const text = (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    const small = text(2_000);
    const large = text(8_000);
    // 4× the input: linear work takes ~4× the time, quadratic ~16×. Medians of interleaved
    // repetitions, so a busy machine slows both sides alike.
    const ratio = medianRatio(
      () => findEmails(large),
      () => findEmails(small),
    );
    expect(ratio).toBeLessThan(6);
  });
});
