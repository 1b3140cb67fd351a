import type { Utm } from '@funnelhouse/schemas/types';
import { load, rid, save } from './store.ts';

/**
 * Ad click id parameters (gclid, dclid, fbclid, ttclid, twclid, yclid, msclkid, gbraid, wbraid,
 * li_fat_id, epik, sccid). Only which one the landing URL carried is sent, never its value; the
 * server keeps the kinds it knows, so a loose match costs nothing.
 */
export const CLICK_ID = /clk?id$|braid$|^li_fat_id$|^epik$|^sccid$/;

/**
 * What the tracker remembers about the visitor, in one storage entry (`fh_s`): read and written
 * in one step, so that tabs of the same site share it.
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
  /** Opted out. */
  o?: number;
}

/**
 * The visitor, with the session touched: thirty minutes without activity start a new session,
 * which records the landing page's referrer, UTM parameters and click id kind.
 * `change` may edit the state before it is saved.
 */
export function visitor(change?: (s: Visitor) => unknown): Visitor {
  const now = Date.now();
  const s = load<Visitor>('s') || ({ v: rid() } as Visitor);
  if (!(now - s.t < 18e5)) {
    const p = new URLSearchParams(location.search);
    s.u = { click_id: [...p.keys()].find((k) => CLICK_ID.test(k)) };
    // Every utm_* parameter; the server keeps source, medium, campaign, term and content.
    for (const [k, v] of p) if (k.startsWith('utm_')) s.u[k.slice(4) as 'source'] = v;
    s.i = rid();
    // The server classifies a referrer of the site itself as the `internal` channel.
    s.r = document.referrer;
  }
  s.t = now;
  change?.(s);
  save('s', s);
  return s;
}
