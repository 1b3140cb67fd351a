import type { CollectEvent, ServerEventExtras } from '@funnelhouse/schemas';
import { readCampaign } from './campaign.ts';
import { classifyChannel, stripWww } from './channel.ts';
import { redactEmails } from './email.ts';
import { countryOf } from './geo.ts';
import { hostAllowed } from './privacy.ts';
import { baseRow, type EventRow } from './row.ts';
import { parseUrl, queryOf, scrubHref, scrubUrl } from './url.ts';
import { type ClientInfo, isBotAgent, parseUserAgent } from './user-agent.ts';

export const DROP_REASONS = [
  'bot',
  'dnt',
  'stale',
  'host_not_allowed',
  'too_old',
  'in_future',
  // A second event with the same id in one batch (ids that differ only in lone surrogates are the
  // same id once those become U+FFFD): the first is kept, as the flusher would.
  'duplicate_id',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Where an event came from; also stored in the row's `source` column. */
export type EventSource = EventRow['source'];

/** What the pipeline reads: a snippet event, or a server event with the visitor's facts. */
export type PipelineEvent = CollectEvent & ServerEventExtras;

/** What is known about the `/collect` request a batch came in; shared by its events. */
export interface BrowserContext {
  source: 'browser';
  siteId: string;
  receivedAt: number;
  /** Client clock when the batch was sent (epoch ms). */
  sentAt: number;
  userAgent: string;
  /** Client address: read by the geo and identity steps, never copied into a row. */
  ip: string | undefined;
  maxEventAgeMs: number;
  /** The site's allowed page hosts; empty allows any. */
  allowedHosts?: readonly string[];
  /** The site honours opt-out signals and this request sent one (`DNT: 1` / `Sec-GPC: 1`). */
  optedOut?: boolean;
  /** The site's `scrub_emails`: addresses in free text are stored as `[redacted]`. */
  scrubEmails?: boolean;
  /** Visitor id for events that carry none (cookieless mode): a daily-salted hash. */
  anonymousVisitorId: () => string;
  /** Memo of per-request work. */
  memo: { client?: ClientInfo; country?: string };
}

/**
 * A batch from the server events API or an import. Its `ts` is absolute; user agent and address
 * travel on each event (optional), since the request came from the sender's server, not a browser.
 */
export interface ServerContext {
  source: 'server' | 'import';
  siteId: string;
  receivedAt: number;
  /** Oldest accepted `ts`, as an age relative to `receivedAt`. */
  maxAgeMs: number;
  /** How far `ts` may lie in the future (sender clock skew); such times are clamped to now. */
  maxFutureMs: number;
  /** The site's `scrub_emails`: addresses in free text are stored as `[redacted]`. */
  scrubEmails?: boolean;
  /** Parsed user agents of this batch: a server batch often repeats a handful of them. */
  memo: { clients: Map<string, ClientInfo> };
}

export type BatchContext = BrowserContext | ServerContext;

/**
 * What a step parsed, handed to the later steps of the same event, so that each URL is parsed
 * once (it was five times: the page URL alone by the URL step, its copy to scrub, the scrubbed
 * result, and again for the campaign).
 */
export interface Parsed {
  /** The page URL's query parameters as sent, before scrubbing (the campaign reads them). */
  pageQuery?: URLSearchParams;
}

/** One named enrichment step. It fills fields of `row`, or returns why the event is dropped. */
export interface Step {
  name: string;
  /** Sources the step runs for; every source when absent. */
  only?: readonly EventSource[];
  run(row: EventRow, ev: PipelineEvent, ctx: BatchContext, parsed: Parsed): DropReason | undefined;
}

export const steps: readonly Step[] = [
  {
    // A server relays its visitors' user agents on purpose (a crawler's order is still an order).
    name: 'bot',
    only: ['browser'],
    run: (_row, _ev, ctx) => (ctx.source === 'browser' && isBotAgent(ctx.userAgent) ? 'bot' : undefined),
  },
  {
    name: 'dnt',
    only: ['browser'],
    run: (_row, _ev, ctx) => (ctx.source === 'browser' && ctx.optedOut ? 'dnt' : undefined),
  },
  {
    // ts = received − (sent_at − client ts): the client's elapsed time is trusted, its clock not.
    name: 'skew_corrected_time',
    only: ['browser'],
    run(row, ev, ctx) {
      if (ctx.source !== 'browser') return undefined;
      const ts = Math.min(ctx.receivedAt - (ctx.sentAt - ev.ts), ctx.receivedAt);
      if (ctx.receivedAt - ts > ctx.maxEventAgeMs) return 'stale';
      row.ts = Math.round(ts);
      return undefined;
    },
  },
  {
    // A server's clock is trusted within a small skew; later times are clamped to now.
    name: 'absolute_time',
    only: ['server', 'import'],
    run(row, ev, ctx) {
      if (ctx.source === 'browser') return undefined;
      if (ev.ts > ctx.receivedAt + ctx.maxFutureMs) return 'in_future';
      if (ctx.receivedAt - ev.ts > ctx.maxAgeMs) return 'too_old';
      row.ts = Math.min(ev.ts, ctx.receivedAt);
      return undefined;
    },
  },
  {
    name: 'url',
    run(row, _ev, _ctx, parsed) {
      if (row.el_href) row.el_href = scrubHref(row.el_href);
      const u = parseUrl(row.url);
      if (!u) return undefined;
      parsed.pageQuery = queryOf(u);
      // Scrubbed in place, and the path read after: a path holding an e-mail address is redacted.
      row.url = scrubUrl(u, parsed.pageQuery);
      row.host = u.hostname;
      row.path = u.pathname;
      return undefined;
    },
  },
  {
    // Checked on the parsed host (lower case, punycode), after the URL step filled it in.
    name: 'allowed_host',
    only: ['browser'],
    run: (row, _ev, ctx) =>
      ctx.source !== 'browser' || hostAllowed(row.host, ctx.allowedHosts ?? [])
        ? undefined
        : 'host_not_allowed',
  },
  {
    // URLs and UTM values are always scrubbed; free text only when the site asks, since a title
    // or a property may hold an address on purpose (a support page, a B2B lead form).
    name: 'free_text_emails',
    run(row, _ev, ctx) {
      if (!ctx.scrubEmails) return undefined;
      row.title = redactEmails(row.title);
      row.el_text = redactEmails(row.el_text);
      for (const [k, v] of Object.entries(row.props)) row.props[k] = redactEmails(v);
      return undefined;
    },
  },
  {
    name: 'campaign_and_channel',
    run(row, ev, _ctx, parsed) {
      const c = readCampaign(parsed.pageQuery, ev.utm);
      row.utm_source = c.source;
      row.utm_medium = c.medium;
      row.utm_campaign = c.campaign;
      row.utm_term = c.term;
      row.utm_content = c.content;
      row.click_id_kind = c.click_id;
      const ref = row.referrer ? parseUrl(row.referrer) : undefined;
      row.referrer = ref ? scrubUrl(ref) : '';
      row.referrer_host = ref ? stripWww(ref.hostname) : '';
      row.channel = classifyChannel({
        referrerHost: row.referrer_host,
        host: stripWww(row.host),
        utmSource: c.source,
        utmMedium: c.medium,
        clickIdKind: c.click_id,
      });
      return undefined;
    },
  },
  {
    name: 'user_agent',
    run(row, ev, ctx) {
      const c = clientOf(ev, ctx);
      if (!c) return undefined;
      row.browser = c.browser;
      row.browser_version = c.browserVersion;
      row.os = c.os;
      row.device = c.device;
      return undefined;
    },
  },
  {
    name: 'country',
    run(row, ev, ctx) {
      if (ctx.source === 'browser') {
        ctx.memo.country ??= countryOf(ctx.ip);
        row.country = ctx.memo.country;
      } else {
        row.country = ev.country?.toUpperCase() ?? countryOf(ev.ip);
      }
      return undefined;
    },
  },
  {
    name: 'identity',
    run(row, ev, ctx) {
      if (row.visitor_id === '')
        row.visitor_id = ctx.source === 'browser' ? ctx.anonymousVisitorId() : serverVisitorId(ev);
      if (row.session_id === '') row.session_id = row.visitor_id;
      return undefined;
    },
  },
];

/**
 * A server event without a visitor id: the user id when there is one (so a user's server events
 * group together), else the event's own id. Deterministic, so a re-sent event makes the same row.
 */
function serverVisitorId(ev: PipelineEvent): string {
  return ev.user_id ? `user:${ev.user_id}` : `event:${ev.id}`;
}

/** Browser facts from the request's user agent; a server event's from its own, if it gave one. */
function clientOf(ev: PipelineEvent, ctx: BatchContext): ClientInfo | undefined {
  if (ctx.source === 'browser') {
    ctx.memo.client ??= parseUserAgent(ctx.userAgent);
    return ctx.memo.client;
  }
  if (ev.user_agent === undefined || ev.user_agent === '') return undefined;
  let c = ctx.memo.clients.get(ev.user_agent);
  if (!c) {
    c = parseUserAgent(ev.user_agent);
    ctx.memo.clients.set(ev.user_agent, c);
  }
  return c;
}

export type EnrichOutcome = { row: EventRow; reason?: undefined } | { row?: undefined; reason: DropReason };

/** Runs the steps that apply to the batch's source over one event; the raw IP never reaches a row. */
export function enrichEvent(ev: PipelineEvent, ctx: BatchContext): EnrichOutcome {
  const row = baseRow(ctx.siteId, ev, ctx.receivedAt);
  row.source = ctx.source;
  if (ev.order_id !== undefined) row.order_id = ev.order_id;
  const parsed: Parsed = {};
  for (const step of steps) {
    if (step.only && !step.only.includes(ctx.source)) continue;
    const reason = step.run(row, ev, ctx, parsed);
    if (reason) return { reason };
  }
  return { row };
}

export interface EnrichResult {
  rows: EventRow[];
  dropped: Partial<Record<DropReason, number>>;
}

/**
 * Enriches every event of a batch; dropped events are counted by reason, so the answer's
 * `accepted` is the number of rows that will be stored.
 */
export function enrichBatch(events: readonly PipelineEvent[], ctx: BatchContext): EnrichResult {
  const rows: EventRow[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  const ids = new Set<string>();
  for (const ev of events) {
    const out = ids.has(ev.id) ? ({ reason: 'duplicate_id' } as const) : enrichEvent(ev, ctx);
    ids.add(ev.id);
    if (out.reason) dropped[out.reason] = (dropped[out.reason] ?? 0) + 1;
    else rows.push(out.row);
  }
  return { rows, dropped };
}
