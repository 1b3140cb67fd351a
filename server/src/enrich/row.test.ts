import { describe, expect, it } from 'vitest';
import { baseRow, selectorOf } from './row.ts';

describe('selectorOf (the snippet sends tag, id and class attribute; the server builds the selector)', () => {
  it('is tag, #id and .class of the element itself, whitespace runs between classes ignored', () => {
    expect(selectorOf({ tag: 'button', id: 'buy', classes: ' cta  big\n' })).toBe('button#buy.cta.big');
    expect(selectorOf({ tag: 'A', classes: 'nav' })).toBe('a.nav');
    expect(selectorOf({ tag: 'div', id: '' })).toBe('div');
  });
});

describe('baseRow: commerce fields', () => {
  const ev = { id: 'e1', ts: 1, url: 'https://shop.example/' };
  it('keeps value and currency of a cart event sent without items', () => {
    const row = baseRow('s', { ...ev, type: 'begin_checkout', revenue: 12.5, currency: 'eur' }, 1);
    expect([row.revenue, row.currency, row.items]).toEqual([12.5, 'EUR', []]);
  });
  it('keeps the items of a view_item (GA4), with the defaults of absent fields', () => {
    const item = { id: 'mug', name: 'Mug', price: 12.5, category: 'Kitchen' };
    const row = baseRow('s', { ...ev, type: 'view_item', items: [item], currency: 'eur' }, 1);
    expect([row.type, row.revenue, row.currency, row.cart_id, row.order_id]).toEqual([
      'view_item',
      0,
      'EUR',
      '',
      '',
    ]);
    expect(row.items).toEqual([{ ...item, quantity: 1, variant: '' }]);
  });
  it('leaves them empty on other events', () => {
    const row = baseRow('s', { ...ev, type: 'pageview' }, 1);
    expect([row.revenue, row.currency]).toEqual([0, '']);
  });
});
