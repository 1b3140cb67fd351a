/**
 * `@funnelhouse/sdk` for bundlers: the same tracker as `f.js`.
 *
 * @example
 * import { init } from '@funnelhouse/sdk';
 * const fh = init({ site: 'SITE_KEY', endpoint: 'https://analytics.example.com/collect' });
 * fh('add_to_cart', { id: 'sku-1', price: 12.5, quantity: 1 });
 */
import type { Options } from './config.ts';
import { createTracker } from './tracker.ts';
import type { Fh } from './types.ts';

export type {
  CollectBody,
  CollectEvent,
  EventType,
  Item,
  PropValue,
} from '@funnelhouse/schemas/types';
export { assignVariant } from './assign.ts';
export type { Flag, Options } from './config.ts';
export type { CommerceData, Fh } from './types.ts';

let instance: Fh | undefined;

/** Starts the tracker once per page and returns its `fh`; later calls return the same one. */
export function init(options: Options): Fh {
  instance ??= createTracker(options);
  return instance;
}
