import { COMMERCE_TYPES, type CollectEvent, type CommerceType, EXPORT_COLUMNS } from '@funnelhouse/schemas';

/** One `events_v1` row as inserted (JSONEachRow). Times are epoch milliseconds. */
export interface EventRow {
  site_id: string;
  event_id: string;
  type: string;
  name: string;
  ts: number;
  received_at: number;
  source: 'browser' | 'server' | 'import';
  visitor_id: string;
  session_id: string;
  user_id: string;
  url: string;
  host: string;
  path: string;
  title: string;
  referrer: string;
  referrer_host: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  click_id_kind: string;
  browser: string;
  browser_version: string;
  os: string;
  device: string;
  country: string;
  el_tag: string;
  el_id: string;
  el_classes: string;
  el_selector: string;
  el_text: string;
  el_href: string;
  form_id: string;
  form_name: string;
  form_fields: string[];
  cart_id: string;
  order_id: string;
  revenue: number;
  currency: string;
  items: {
    id: string;
    name: string;
    price: number;
    quantity: number;
    category: string;
    variant: string;
  }[];
  experiments: Record<string, string>;
  props: Record<string, string>;
}

/**
 * Every column of `EventRow`, in the order a compact insert (`queries/insertEvents.ts`) sends
 * the values: the site, then the export's columns (the stored row minus `site_id`). The type
 * check below fails when a field is added to `EventRow` and not to `EXPORT_COLUMNS`.
 */
export const EVENT_COLUMNS = ['site_id', ...EXPORT_COLUMNS] as const satisfies readonly (keyof EventRow)[];

type Missing = Exclude<keyof EventRow, (typeof EVENT_COLUMNS)[number]>;
const allColumns: [Missing] extends [never] ? true : Missing = true;
void allColumns;

/**
 * The selector of an element the snippet clicked: its own tag, id and classes
 * (`button#buy.cta`), which survive re-renders and reordering, unlike a position in the page.
 * Built here from `tag`, `id` and the class attribute, since bytes are scarce in the snippet.
 */
export function selectorOf(el: { tag: string; id?: string; classes?: string }): string {
  const classes = (el.classes ?? '').split(/[ \t\n\r\f]+/).filter((c) => c !== '');
  return el.tag.toLowerCase() + (el.id ? `#${el.id}` : '') + classes.map((c) => `.${c}`).join('');
}

/** The event's own fields mapped to columns; enrichment steps fill in the rest. */
export function baseRow(siteId: string, ev: CollectEvent, receivedAt: number): EventRow {
  const el = ev.type === 'click' ? ev.el : undefined;
  const form = ev.type === 'form_start' || ev.type === 'form_submit' ? ev.form : undefined;
  // Every cart and order event, with items or without (`begin_checkout` with only a value and a
  // currency): testing for an `items` key dropped the value and currency of the latter.
  const commerce = COMMERCE_TYPES.includes(ev.type as CommerceType)
    ? (ev as Extract<CollectEvent, { type: CommerceType }>)
    : undefined;
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(ev.props ?? {})) props[k] = String(v);
  const experiments = { ...(ev.exp ?? {}) };
  if (ev.type === 'exposure') experiments[ev.name] = ev.variant;
  return {
    site_id: siteId,
    event_id: ev.id,
    type: ev.type,
    name: 'name' in ev && ev.name ? ev.name : '',
    ts: ev.ts,
    received_at: receivedAt,
    source: 'browser',
    visitor_id: ev.visitor_id ?? '',
    session_id: ev.session_id ?? '',
    user_id: ev.user_id ?? '',
    url: ev.url,
    host: '',
    path: '',
    title: ev.title ?? '',
    referrer: ev.referrer ?? '',
    referrer_host: '',
    channel: '',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_term: '',
    utm_content: '',
    click_id_kind: '',
    browser: '',
    browser_version: '',
    os: '',
    device: '',
    country: '',
    el_tag: el?.tag.toLowerCase() ?? '',
    el_id: el?.id ?? '',
    el_classes: el?.classes ?? '',
    el_selector: el ? (el.selector ?? selectorOf(el)) : '',
    // The snippet sends the text as the page has it (bytes are scarce there); runs of layout
    // whitespace (ASCII: spaces, tabs, newlines from the page's markup) are collapsed here, and
    // the ends trimmed. Other characters, unicode spaces and marks included, are kept byte for byte.
    el_text: el?.text?.replace(/[ \t\n\r\f\v]+/g, ' ').replace(/^ | $/g, '') ?? '',
    el_href: el?.href ?? '',
    form_id: form?.id ?? '',
    form_name: form?.name ?? '',
    // Radio buttons and checkbox groups repeat a name; each is kept once. An empty name (a
    // server event or an import may send one) names no field and is left out.
    form_fields: [...new Set(form?.fields ?? [])].filter((f) => f !== ''),
    cart_id: ev.cart_id ?? '',
    order_id: ev.type === 'purchase' ? ev.order_id : '',
    revenue: toDecimal4(commerce && 'revenue' in commerce ? (commerce.revenue ?? 0) : 0),
    currency: commerce && 'currency' in commerce ? (commerce.currency ?? '').toUpperCase() : '',
    items: (commerce && 'items' in commerce ? (commerce.items ?? []) : []).map((i) => ({
      id: i.id,
      name: i.name ?? '',
      price: toDecimal4(i.price ?? 0),
      quantity: i.quantity ?? 1,
      category: i.category ?? '',
      variant: i.variant ?? '',
    })),
    experiments,
    props,
  };
}

/**
 * Money as the Decimal(18, 4) columns keep it, rounded to the nearest: ClickHouse truncates a
 * float when parsing it into a Decimal, so 31.27 + 1 (= 32.269999999999996 in binary) would be
 * stored as 32.2699.
 */
function toDecimal4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
