import type { CollectEvent } from '@funnelhouse/schemas';
import { readCampaign } from './campaign.ts';
import { classifyChannel, stripWww } from './channel.ts';
import { countryOf } from './geo.ts';
import { hostAllowed } from './privacy.ts';
import { baseRow, type EventRow } from './row.ts';
import { parseUrl, scrubHref, scrubUrl } from './url.ts';
import { type ClientInfo, isBotAgent, parseUserAgent } from './user-agent.ts';

export const DROP_REASONS = ['bot', 'dnt', 'stale', 'host_not_allowed'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** What is known about the request a batch came in; shared by its events. */
export interface BatchContext {
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
  /** Visitor id for events that carry none (cookieless mode): a daily-salted hash. */
  anonymousVisitorId: () => string;
  /** Memo of per-request work. */
  memo: { client?: ClientInfo; country?: string };
}

/** One named enrichment step. It fills fields of `row`, or returns why the event is dropped. */
export interface Step {
  name: string;
  run(row: EventRow, ev: CollectEvent, ctx: BatchContext): DropReason | undefined;
}

export const steps: readonly Step[] = [
  {
    name: 'bot',
    run: (_row, _ev, ctx) => (isBotAgent(ctx.userAgent) ? 'bot' : undefined),
  },
  {
    name: 'dnt',
    run: (_row, _ev, ctx) => (ctx.optedOut ? 'dnt' : undefined),
  },
  {
    // ts = received − (sent_at − client ts): the client's elapsed time is trusted, its clock not.
    name: 'skew_corrected_time',
    run(row, ev, ctx) {
      const ts = Math.min(ctx.receivedAt - (ctx.sentAt - ev.ts), ctx.receivedAt);
      if (ctx.receivedAt - ts > ctx.maxEventAgeMs) return 'stale';
      row.ts = Math.round(ts);
      return undefined;
    },
  },
  {
    name: 'url',
    run(row) {
      if (row.el_href) row.el_href = scrubHref(row.el_href);
      const u = parseUrl(row.url);
      if (!u) return undefined;
      // The path comes from the scrubbed URL: a path holding an e-mail address is redacted too.
      const clean = new URL(scrubUrl(u));
      row.url = clean.href;
      row.host = clean.hostname;
      row.path = clean.pathname;
      return undefined;
    },
  },
  {
    // Checked on the parsed host (lower case, punycode), after the URL step filled it in.
    name: 'allowed_host',
    run: (row, _ev, ctx) => (hostAllowed(row.host, ctx.allowedHosts ?? []) ? undefined : 'host_not_allowed'),
  },
  {
    name: 'campaign_and_channel',
    run(row, ev) {
      const c = readCampaign(parseUrl(ev.url), ev.utm);
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
    run(row, _ev, ctx) {
      ctx.memo.client ??= parseUserAgent(ctx.userAgent);
      const c = ctx.memo.client;
      row.browser = c.browser;
      row.browser_version = c.browserVersion;
      row.os = c.os;
      row.device = c.device;
      return undefined;
    },
  },
  {
    name: 'country',
    run(row, _ev, ctx) {
      ctx.memo.country ??= countryOf(ctx.ip);
      row.country = ctx.memo.country;
      return undefined;
    },
  },
  {
    name: 'identity',
    run(row, _ev, ctx) {
      if (row.visitor_id === '') row.visitor_id = ctx.anonymousVisitorId();
      if (row.session_id === '') row.session_id = row.visitor_id;
      return undefined;
    },
  },
];

export interface EnrichResult {
  rows: EventRow[];
  dropped: Partial<Record<DropReason, number>>;
}

/** Runs every step over every event of a batch; the raw IP never reaches a row. */
export function enrichBatch(events: readonly CollectEvent[], ctx: BatchContext): EnrichResult {
  const rows: EventRow[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  for (const ev of events) {
    const row = baseRow(ctx.siteId, ev, ctx.receivedAt);
    let reason: DropReason | undefined;
    for (const step of steps) {
      reason = step.run(row, ev, ctx);
      if (reason) break;
    }
    if (reason) dropped[reason] = (dropped[reason] ?? 0) + 1;
    else rows.push(row);
  }
  return { rows, dropped };
}
