/**
 * One site's lane of the webhook worker (`worker.ts`): its pending deliveries as a queue of
 * carts, sent by a few senders side by side. A cart's deliveries stay with one sender, in order
 * (`cart.abandoned` before `cart.recovered`), as one loop sent them before lanes existed.
 */
import type { Delivery } from './state.ts';

/** The deliveries grouped by cart, carts in the order of their first delivery (oldest first). */
export function cartQueue(pending: readonly Delivery[]): Delivery[][] {
  const queue: Delivery[][] = [];
  const byCart = new Map<string, Delivery[]>();
  for (const d of pending) {
    const group = byCart.get(d.cart_id);
    if (group) group.push(d);
    else {
      const fresh = [d];
      byCart.set(d.cart_id, fresh);
      queue.push(fresh);
    }
  }
  return queue;
}

/**
 * Takes the oldest due delivery out of the queue (the breaker's probe), or undefined when none
 * is due. The rest of its cart stays in the queue, after it.
 */
export function takeFirstDue(queue: Delivery[][], due: (d: Delivery) => boolean): Delivery | undefined {
  const group = queue.find((g) => g.some(due));
  return group?.splice(group.findIndex(due), 1)[0];
}

export interface DrainOptions {
  senders: number;
  due: (d: Delivery) => boolean;
  /** Sends one delivery; false stops every sender (the breaker opened). */
  send: (d: Delivery) => Promise<boolean>;
  /** Checked before each send: the worker is stopping. */
  stopped: () => boolean;
}

/**
 * Sends the queue's due deliveries with `senders` loops, each taking the next cart when done with
 * one. Every loop stops once `send` answers false or throws; the first error is rethrown at the end.
 */
export async function drain(queue: Delivery[][], o: DrainOptions): Promise<void> {
  let halt = false;
  let failure: unknown;
  const sender = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const d of group) {
        if (halt || o.stopped()) return;
        if (o.due(d) && !(await o.send(d))) halt = true;
      }
  };
  await Promise.all(
    Array.from({ length: Math.min(o.senders, queue.length) }, () =>
      sender().catch((err: unknown) => {
        halt = true;
        failure ??= err;
      }),
    ),
  );
  if (failure !== undefined) throw failure;
}
