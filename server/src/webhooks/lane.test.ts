import { describe, expect, it } from 'vitest';
import { cartQueue, drain, takeFirstDue } from './lane.ts';
import type { Delivery } from './state.ts';

const d = (cart: string, event: Delivery['event'], next_at = 0): Delivery => ({
  delivery_id: `${cart}:${event}`,
  event,
  cart_id: cart,
  body: '{}',
  status: 'pending',
  attempts: 0,
  next_at,
  created_at: 0,
  seq: 0,
});

describe('a lane', () => {
  it('queues carts oldest first, each cart’s deliveries in order', () => {
    const q = cartQueue([d('a', 'cart.abandoned'), d('b', 'cart.abandoned'), d('a', 'cart.recovered')]);
    expect(q.map((g) => g.map((x) => x.delivery_id))).toEqual([
      ['a:cart.abandoned', 'a:cart.recovered'],
      ['b:cart.abandoned'],
    ]);
    // The probe is the oldest due; the rest of its cart stays queued.
    const probe = takeFirstDue(q, (x) => x.event === 'cart.recovered');
    expect(probe?.delivery_id).toBe('a:cart.recovered');
    expect(q.map((g) => g.length)).toEqual([1, 1]);
    expect(takeFirstDue(q, () => false)).toBeUndefined();
  });

  it('sends with at most `senders` at once, a cart’s deliveries in turn, and stops all on false', async () => {
    const carts = Array.from({ length: 6 }, (_, i) => [
      d(`c${i}`, 'cart.abandoned'),
      d(`c${i}`, 'cart.recovered'),
    ]);
    let open = 0;
    let most = 0;
    const sent: string[] = [];
    await drain(cartQueue(carts.flat()), {
      senders: 3,
      due: () => true,
      stopped: () => false,
      send: async (x) => {
        open++;
        most = Math.max(most, open);
        sent.push(x.delivery_id);
        await new Promise((r) => setImmediate(r));
        open--;
        return true;
      },
    });
    expect(most).toBe(3);
    expect(sent).toHaveLength(12);
    for (let i = 0; i < 6; i++)
      expect(sent.indexOf(`c${i}:cart.abandoned`)).toBeLessThan(sent.indexOf(`c${i}:cart.recovered`));

    let calls = 0;
    await drain(cartQueue(carts.flat()), {
      senders: 1,
      due: () => true,
      stopped: () => false,
      send: async () => ++calls < 3,
    });
    expect(calls).toBe(3);
  });
});
