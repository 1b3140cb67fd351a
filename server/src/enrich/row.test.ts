import { describe, expect, it } from 'vitest';
import { selectorOf } from './row.ts';

describe('selectorOf (the snippet sends tag, id and class attribute; the server builds the selector)', () => {
  it('is tag, #id and .class of the element itself, whitespace runs between classes ignored', () => {
    expect(selectorOf({ tag: 'button', id: 'buy', classes: ' cta  big\n' })).toBe('button#buy.cta.big');
    expect(selectorOf({ tag: 'A', classes: 'nav' })).toBe('a.nav');
    expect(selectorOf({ tag: 'div', id: '' })).toBe('div');
  });
});
