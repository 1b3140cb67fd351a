import { z } from 'zod';
import { LIMITS } from './limits.ts';
import {
  type ClickEvent,
  type CollectBody,
  type CollectEvent,
  type CommerceEvent,
  type CustomEvent,
  type ElementInfo,
  type ExposureEvent,
  type FormEvent,
  type FormInfo,
  type IdentifyEvent,
  ITEM_EVENT_TYPES,
  type Item,
  type PageviewEvent,
  type PurchaseEvent,
  type Utm,
} from './types.ts';

/** True for an absolute http(s) URL, as the WHATWG URL parser reads it. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The bounds of an event's fields beyond `LIMITS`, named once: the zod schemas below are built
 * from them, and so is the compiled check of `/collect` (`server/src/collect/event-check.ts`),
 * so the two cannot drift apart.
 */
export const EVENT_BOUNDS = {
  /** Epoch milliseconds between 2000-01-01 and 2100-01-01: catches seconds-vs-millis mistakes. */
  epochMsMin: 946_684_800_000,
  epochMsMax: 4_102_444_800_000,
  /** An item's quantity. */
  quantityMax: 1_000_000,
  /** Names: a click's, a custom event's, an experiment and its variant (and an assignment's value). */
  nameLength: 128,
  /** The ad click id kind in `utm.click_id`. */
  clickIdLength: 32,
  /** A clicked element's fields (its text and link target: `LIMITS.textLength`, `urlLength`). */
  element: { tag: 32, id: 256, classes: 512, selector: 1024 },
  /** A form's id, name and each field name. */
  formText: 256,
  /** The public site key of a `/collect` body. */
  siteKeyLength: 128,
} as const;

/** An ISO 4217 code as written: three letters, either case (stored upper case). */
export const CURRENCY_PATTERN = /^[A-Za-z]{3}$/;
/** Form events. */
export const FORM_EVENT_TYPES = ['form_start', 'form_submit'] as const;

const B = EVENT_BOUNDS;
const text = (max: number = LIMITS.textLength) => z.string().max(max);
const id = z.string().min(1).max(LIMITS.idLength);
const epochMs = z.number().int().min(B.epochMsMin).max(B.epochMsMax);
/** An amount in currency units: ±`LIMITS.moneyMax` (see there why), stored with 4 decimals. */
const money = z.number().finite().min(-LIMITS.moneyMax).max(LIMITS.moneyMax);
const key = z.string().min(1).max(LIMITS.keyLength);

const boundedRecord = <V extends z.ZodType>(value: V, max: number) =>
  z.record(key, value).refine((r) => Object.keys(r).length <= max, {
    message: `at most ${max} keys`,
  });

export const elementSchema = z.object({
  tag: text(B.element.tag),
  id: text(B.element.id).optional(),
  classes: text(B.element.classes).optional(),
  selector: text(B.element.selector).optional(),
  text: text().optional(),
  href: text(LIMITS.urlLength).optional(),
}) satisfies z.ZodType<ElementInfo>;

export const formSchema = z.object({
  id: text(B.formText).optional(),
  name: text(B.formText).optional(),
  fields: z.array(text(B.formText)).max(LIMITS.formFields).optional(),
}) satisfies z.ZodType<FormInfo>;

export const itemSchema = z.object({
  id,
  name: text().optional(),
  price: money.optional(),
  quantity: z.number().int().min(0).max(B.quantityMax).optional(),
  category: text().optional(),
  variant: text().optional(),
}) satisfies z.ZodType<Item>;

export const utmSchema = z.object({
  source: text().optional(),
  medium: text().optional(),
  campaign: text().optional(),
  term: text().optional(),
  content: text().optional(),
  click_id: text(B.clickIdLength).optional(),
}) satisfies z.ZodType<Utm>;

const currency = z.string().regex(CURRENCY_PATTERN, 'ISO 4217 code');

const base = z.object({
  id,
  ts: epochMs,
  url: z.string().min(1).max(LIMITS.urlLength).refine(isHttpUrl, 'expected an absolute http(s) URL'),
  title: text().optional(),
  referrer: z.string().max(LIMITS.urlLength).optional(),
  utm: utmSchema.optional(),
  visitor_id: id.optional(),
  session_id: id.optional(),
  user_id: id.optional(),
  cart_id: id.optional(),
  exp: boundedRecord(text(B.nameLength), LIMITS.experiments).optional(),
  props: boundedRecord(
    z.union([z.string().max(LIMITS.valueLength), z.number().finite(), z.boolean()]),
    LIMITS.props,
  ).optional(),
});

const items = z.array(itemSchema).max(LIMITS.items);

export const pageviewSchema = base.extend({
  type: z.literal('pageview'),
}) satisfies z.ZodType<PageviewEvent>;

export const clickSchema = base.extend({
  type: z.literal('click'),
  name: text(B.nameLength).optional(),
  el: elementSchema,
}) satisfies z.ZodType<ClickEvent>;

export const formEventSchema = base.extend({
  type: z.enum(FORM_EVENT_TYPES),
  form: formSchema,
}) satisfies z.ZodType<FormEvent>;

export const commerceSchema = base.extend({
  type: z.enum(ITEM_EVENT_TYPES),
  items: items.optional(),
  revenue: money.optional(),
  currency: currency.optional(),
}) satisfies z.ZodType<CommerceEvent>;

export const purchaseSchema = base.extend({
  type: z.literal('purchase'),
  order_id: id,
  revenue: money,
  currency,
  items: items.optional(),
}) satisfies z.ZodType<PurchaseEvent>;

export const exposureSchema = base.extend({
  type: z.literal('exposure'),
  name: text(B.nameLength).min(1),
  variant: text(B.nameLength).min(1),
}) satisfies z.ZodType<ExposureEvent>;

export const identifySchema = base.extend({
  type: z.literal('identify'),
  user_id: id,
}) satisfies z.ZodType<IdentifyEvent>;

export const customSchema = base.extend({
  type: z.literal('custom'),
  name: text(B.nameLength).min(1),
}) satisfies z.ZodType<CustomEvent>;

export const collectEventSchema = z.discriminatedUnion('type', [
  pageviewSchema,
  clickSchema,
  formEventSchema,
  commerceSchema,
  purchaseSchema,
  exposureSchema,
  identifySchema,
  customSchema,
]) satisfies z.ZodType<CollectEvent>;

/**
 * What `/collect` checks for the batch as a whole: a problem here refuses every event. The
 * events themselves are judged one by one (`collectEventSchema`), so one bad event does not
 * take the valid ones down with it.
 */
export const collectEnvelopeSchema = z.object({
  site: z.string().min(1).max(B.siteKeyLength),
  sent_at: epochMs,
  events: z.array(z.unknown()).min(1).max(LIMITS.eventsPerBatch),
});

export const collectBodySchema = collectEnvelopeSchema.extend({
  events: z.array(collectEventSchema).min(1).max(LIMITS.eventsPerBatch),
}) satisfies z.ZodType<CollectBody>;
