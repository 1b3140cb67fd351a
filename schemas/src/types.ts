/**
 * The contract as plain TypeScript types. The browser snippet imports only this file (types are
 * erased), so it ships no zod; `event.ts` holds the zod schemas that `satisfies` these types.
 */
import type { ErrorIssue, EventRejectionCode } from './errors.ts';

/**
 * Product and cart events: the commerce events but the order itself (`purchase`, its own schema).
 * `view_item` (a product seen) carries items like the cart events; it opens no cart.
 */
export const ITEM_EVENT_TYPES = [
  'view_item',
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
] as const;

/** Product, cart and order events, named as in GA4 so that shops can reuse their data layer. */
export const COMMERCE_TYPES = [...ITEM_EVENT_TYPES, 'purchase'] as const;

export const EVENT_TYPES = [
  'pageview',
  'click',
  'form_start',
  'form_submit',
  ...COMMERCE_TYPES,
  'exposure',
  'identify',
  'custom',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type CommerceType = (typeof COMMERCE_TYPES)[number];

/**
 * The element a click landed on. Text is bounded by the sender; the server trims it and collapses
 * whitespace runs. Without `selector`, the server builds one from tag, id and classes.
 */
export interface ElementInfo {
  tag: string;
  id?: string;
  classes?: string;
  selector?: string;
  text?: string;
  href?: string;
}

/** A form, described by its id/name and field *names* only: values are never sent. */
export interface FormInfo {
  id?: string;
  name?: string;
  fields?: string[];
}

export interface Item {
  id: string;
  name?: string;
  price?: number;
  quantity?: number;
  category?: string;
  variant?: string;
}

/** Campaign parameters of the landing page that started the session. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  /** Which ad click id the landing URL carried (gclid, fbclid, …); its value is never sent. */
  click_id?: string;
}

export type PropValue = string | number | boolean;

interface EventBase {
  /** Client-made unique id; a retried event keeps it, which is what makes retries idempotent. */
  id: string;
  /** Client clock in epoch milliseconds; the server corrects skew using the batch's `sent_at`. */
  ts: number;
  url: string;
  title?: string;
  /** The session's external referrer (the page that brought the visitor), not the previous page. */
  referrer?: string;
  utm?: Utm;
  visitor_id?: string;
  session_id?: string;
  user_id?: string;
  cart_id?: string;
  /** Active experiment assignments, experiment key → variant. */
  exp?: Record<string, string>;
  props?: Record<string, PropValue>;
}

export interface PageviewEvent extends EventBase {
  type: 'pageview';
}
export interface ClickEvent extends EventBase {
  type: 'click';
  /** Declarative events (`data-fh-event`) name the click. */
  name?: string;
  el: ElementInfo;
}
export interface FormEvent extends EventBase {
  type: 'form_start' | 'form_submit';
  form: FormInfo;
}
export interface CommerceEvent extends EventBase {
  type: Exclude<CommerceType, 'purchase'>;
  items?: Item[];
  revenue?: number;
  currency?: string;
}
export interface PurchaseEvent extends EventBase {
  type: 'purchase';
  order_id: string;
  revenue: number;
  currency: string;
  items?: Item[];
}
/** A visitor saw variant `variant` of experiment `name`. */
export interface ExposureEvent extends EventBase {
  type: 'exposure';
  name: string;
  variant: string;
}
export interface IdentifyEvent extends EventBase {
  type: 'identify';
  user_id: string;
}
export interface CustomEvent extends EventBase {
  type: 'custom';
  name: string;
}

export type CollectEvent =
  | PageviewEvent
  | ClickEvent
  | FormEvent
  | CommerceEvent
  | PurchaseEvent
  | ExposureEvent
  | IdentifyEvent
  | CustomEvent;

/** The body of `POST /collect`. */
export interface CollectBody {
  /** The site's public site key. */
  site: string;
  /** Client clock when the batch was sent, epoch milliseconds. */
  sent_at: number;
  events: CollectEvent[];
}

/** One event of a `/collect` batch that was refused on its own; the others were judged apart. */
export interface CollectRejection {
  /** Position of the event in the batch's `events`. */
  index: number;
  code: EventRejectionCode;
  message: string;
  /** Schema problems, located relative to the event (`url`, `props.plan`). */
  issues?: ErrorIssue[];
}

/**
 * The `202` answer of `/collect`: `accepted + dropped` is the batch's event count. `dropped`
 * counts every event not stored: policy drops by reason in `dropped_by_reason` (`bot`, `stale`,
 * `dnt`, `host_not_allowed`, `duplicate_id`) plus the invalid events listed in `rejected`.
 */
export interface CollectResponse {
  accepted: number;
  dropped: number;
  dropped_by_reason: Record<string, number>;
  rejected: CollectRejection[];
}

export const CHANNELS = [
  'direct',
  'organic_search',
  'paid_search',
  'social',
  'email',
  'referral',
  'internal',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/**
 * Columns a report can be narrowed by (`path=…&channel=…`): the sessions that had an event with
 * each value. The overview and orders query strings, the server's segment fragment and the
 * dashboard's click-to-filter all read this one list.
 */
export const SEGMENT_COLUMNS = [
  'path',
  'referrer_host',
  'channel',
  'utm_source',
  'utm_campaign',
  'country',
  'device',
  'browser',
] as const;
export type SegmentColumn = (typeof SEGMENT_COLUMNS)[number];
export type Segment = Partial<Record<SegmentColumn, string>>;
