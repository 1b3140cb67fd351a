import type { CommerceType, Item, PropValue, Utm } from '@funnelhouse/schemas/types';

type Props = Record<string, PropValue>;

/** The event's own fields besides its items. */
interface CommerceFields {
  revenue?: number;
  /** ISO 4217 code of `revenue` and the items' prices: kept in the one-item form too. */
  currency?: string;
  props?: Props;
}

/**
 * What a cart or order command takes: one item (its fields at the top, with the event's own
 * `currency`, `revenue` and `props` beside them), or a payload with items and value.
 */
export type CommerceData = (Item & CommerceFields) | ({ items?: Item[]; order_id?: string } & CommerceFields);

/** The one function the tracker exposes (the `fh` global of the script-tag build). */
export interface Fh {
  /** A custom event. */
  (cmd: 'track', name: string, props?: Props): void;
  /** A page view sent by hand, for virtual pages. */
  (cmd: 'pageview', props?: Props): void;
  /** Ties this and later events to a user id of the site's own. */
  (cmd: 'identify', userId: string): void;
  /** The visitor's variant; also passed to `callback`, which works through the pre-load stub. */
  (
    cmd: 'variant',
    key: string,
    variants: string[],
    weights?: number[] | null,
    callback?: (variant: string) => void,
  ): string | undefined;
  /** Stop sending (and drop anything unsent), or resume; remembered in this browser. */
  (cmd: 'optout' | 'optin'): void;
  (
    cmd: 'purchase',
    order: { order_id: string; revenue: number; currency: string; props?: Props } & (
      | { items?: Item[] }
      | Item
    ),
  ): void;
  (cmd: Exclude<CommerceType, 'purchase'>, data?: CommerceData): void;
}

/**
 * What the tracker remembers about the visitor, in one storage entry (`fh_s`) that is read and
 * written in one step, so tabs of the same site share it.
 */
export interface Visitor {
  /** Visitor id (in cookieless mode it stays in this tab and is never sent). */
  v: string;
  /** Session id, last activity (epoch ms), landing page referrer and campaign. */
  i: string;
  t: number;
  r: string;
  u: Utm;
  /** User id from `identify`. */
  d?: string;
  /** Cart id, from the first `add_to_cart` to `purchase`. */
  c?: string;
  /** Experiment assignments, key → variant. */
  x?: Record<string, string>;
  /** Opted out (1) or not. */
  o?: number;
}
