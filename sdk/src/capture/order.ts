import type { CommerceType, Item, PropValue } from '@funnelhouse/schemas/types';
import { visitor } from '../identity.ts';
import { rid } from '../store.ts';
import { emit } from './event.ts';

/** What a cart or order command takes: one item, or a payload with items and value. */
export type CommerceData =
  | Item
  | {
      items?: Item[];
      revenue?: number;
      currency?: string;
      order_id?: string;
      props?: Record<string, PropValue>;
    };

/**
 * A cart or order event (GA4 names). The cart id is made at the first `add_to_cart` and kept
 * (across sessions) until `purchase`, which still carries it, so an abandoned cart can be followed.
 */
export function commerce(type: CommerceType, data?: CommerceData): void {
  if (type === 'add_to_cart') visitor((s) => (s.c ||= rid()));
  emit(type, data && 'id' in data ? { items: [data] } : data);
  if (type === 'purchase') visitor((s) => delete s.c);
}
