import type { Channel, CollectEvent, DeviceType } from '@funnelhouse/schemas';
import { CATEGORIES, CLIENTS, ORIGINS, type Origin, PLACES, PRODUCTS, SHOP } from './catalog.ts';
import type { BundleVariant, CtaVariant } from './experiment.ts';
import { Rng } from './random.ts';
import { searches } from './search.ts';
import { productPath, SessionSim, type VisitorState } from './visit.ts';

/**
 * Deterministic synthetic shop traffic: a pure function of its options (no clock, no
 * `Math.random`). With the same seed at another `now`, visitors, their choices and event ids stay
 * the same and only times move (a returning visit that would now end in the future is left out). Visitors come from several channels, devices and countries, browse products,
 * add to cart, check out with drop-off at every stage, and take part in the `cta-color`
 * experiment whose true effect is documented in `experiment.ts`; a quarter of the visitors use
 * the site search and buy about twice as often (`search.ts`). About 6 % of visitors are
 * crawlers whose events the server must drop.
 *
 * Each event's `ts` is its intended time. `/collect` stores `received − (sent_at − ts)`, so a
 * sender that sets `sent_at` to its clock at sending stores events at their intended times (give
 * or take the network delay). Times are whole seconds: the sub-second delay can then never move
 * an event across midnight in any time zone, which keeps daily counts exactly predictable.
 */

export interface TrafficOptions {
  seed: number;
  /** Visitors to simulate, crawlers included. */
  visitors: number;
  /** The end of the simulated period, epoch ms; no event is later. */
  now: number;
  /** Length of the simulated period; first visits start uniformly-by-day-rhythm within it. */
  hours?: number;
}

/** One simulated session and the channel the server must classify it as. */
export interface SimSession {
  id: string;
  channel: Channel;
  referrer: string | undefined;
}

/** One simulated visitor: how it appears on the wire and what the server must derive from it. */
export interface SimVisitor {
  id: string;
  userAgent: string;
  /** Client address, sent as X-Forwarded-For. */
  ip: string;
  bot: boolean;
  device: DeviceType;
  browser: string;
  country: string;
  /** `cta-color` variant, set when the visitor reached checkout (and was exposed). */
  variant: CtaVariant | undefined;
  /** `cart-bundle` variant, set when the visitor viewed a cart (and was exposed). */
  bundle: BundleVariant | undefined;
  sessions: SimSession[];
  /** In time order. */
  events: CollectEvent[];
}

export interface Traffic {
  seed: number;
  now: number;
  hours: number;
  visitors: SimVisitor[];
}

const SECOND = 1000;
const HOUR = 3_600_000;
/** A returning visit starts only if it can finish before `now` (sessions last well under this). */
const MAX_SESSION_MS = HOUR;
const DIRECT: Origin = { weight: 0, channel: 'direct', intent: 1.1 };

/**
 * Simulates `visitors` visitors over the `hours` before `now`.
 * @example
 * const t = generateTraffic({ seed: 1, visitors: 1000, now: Date.now() });
 * await postTraffic(t.visitors, { url: 'http://localhost:8787', siteKey: 'demo' });
 */
export function generateTraffic(opts: TrafficOptions): Traffic {
  const hours = opts.hours ?? 48;
  const seeds = new Rng(opts.seed);
  const now = Math.floor(opts.now / SECOND) * SECOND;
  const visitors: SimVisitor[] = [];
  for (let i = 0; i < opts.visitors; i++) {
    // Each visitor draws from its own sources, and its start time from a separate one: `now`
    // changes how many draws picking a start time takes, and must not change anything else.
    const own = new Rng(seeds.nextSeed());
    const clock = new Rng(seeds.nextSeed());
    visitors.push(simulateVisitor(own, startTime(clock, now, hours), now));
  }
  return { seed: opts.seed, now, hours, visitors };
}

function simulateVisitor(rng: Rng, start: number, now: number): SimVisitor {
  const client = rng.weighted(CLIENTS);
  const place = rng.weighted(PLACES);
  const v: SimVisitor = {
    id: rng.id(),
    userAgent: client.ua,
    ip: `${place.prefix}.${rng.int(1, 254)}`,
    bot: client.bot,
    device: client.device,
    browser: client.browser,
    country: place.country,
    variant: undefined,
    bundle: undefined,
    sessions: [],
    events: [],
  };
  if (client.bot) {
    crawl(rng, v, start, now);
    return v;
  }
  const state: VisitorState = {
    visitorId: v.id,
    currency: place.currency,
    beganCheckout: false,
    searcher: searches(v.id),
  };
  let origin = rng.weighted(ORIGINS);
  let at = start;
  for (let n = 0; n === 0 || (n < 4 && rng.chance(0.3)); n++) {
    if (n > 0) {
      at += rng.int(1, 20) * HOUR + rng.int(0, 3599) * SECOND;
      if (at + MAX_SESSION_MS > now) break;
      // Returning visitors mostly type the address or come back the same way.
      origin = rng.chance(0.5) ? DIRECT : rng.chance(0.4) ? origin : rng.weighted(ORIGINS);
    }
    at = playSession(rng, v, state, origin, at, now);
  }
  v.variant = state.variant;
  v.bundle = state.bundle;
  return v;
}

/** Plays one session; a first visit that would end after `now` is moved back to end at `now`. */
function playSession(
  rng: Rng,
  v: SimVisitor,
  state: VisitorState,
  origin: Origin,
  start: number,
  now: number,
): number {
  const session: SimSession = { id: rng.id(), channel: origin.channel, referrer: origin.referrer };
  const sim = new SessionSim(rng, state, origin, session.id, start);
  let end = sim.run();
  if (end > now) {
    for (const e of sim.events) e.ts -= end - now;
    end = now;
  }
  v.sessions.push(session);
  v.events.push(...sim.events);
  return end;
}

/** A crawler: a burst of pageviews, no referrer, never a cart. */
function crawl(rng: Rng, v: SimVisitor, start: number, now: number): void {
  const session: SimSession = { id: rng.id(), channel: 'direct', referrer: undefined };
  const pages = rng.int(3, 12);
  let ts = Math.min(start, now - pages * 5 * SECOND);
  for (let i = 0; i < pages; i++) {
    const path = rng.chance(0.6) ? productPath(rng.pick(PRODUCTS)) : `/c/${rng.pick(CATEGORIES)}`;
    ts += rng.int(1, 5) * SECOND;
    v.events.push({
      id: rng.id(),
      type: 'pageview',
      ts,
      url: `${SHOP}${path}`,
      visitor_id: v.id,
      session_id: session.id,
    });
  }
  v.sessions.push(session);
}

/**
 * A first-visit start in `[now − hours, now]`, whole seconds, denser in the afternoon (UTC) than
 * at night: accepted with a weight that runs from 0.35 at 03:00 to 1 at 15:00.
 */
function startTime(rng: Rng, now: number, hours: number): number {
  for (;;) {
    const t = now - rng.int(0, Math.floor((hours * HOUR) / SECOND)) * SECOND;
    const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    const weight = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24));
    if (rng.chance(weight)) return t;
  }
}
