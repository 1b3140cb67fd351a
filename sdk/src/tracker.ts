import type { CommerceType, Item, PropValue } from '@funnelhouse/schemas/types';
import { onClick } from './capture/click.ts';
import { configure, emit } from './capture/event.ts';
import { variant } from './capture/experiment.ts';
import { captureForms } from './capture/form.ts';
import { type CommerceData, commerce } from './capture/order.ts';
import { capturePages } from './capture/page.ts';
import { flag, type Options } from './config.ts';
import { on, safe } from './guard.ts';
import { visitor } from './identity.ts';
import { enqueue, startQueue } from './queue.ts';

type Props = Record<string, PropValue>;

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
    order: { order_id: string; revenue: number; currency: string; items?: Item[]; props?: Props },
  ): void;
  (cmd: Exclude<CommerceType, 'purchase'>, data?: CommerceData): void;
}

// biome-ignore lint/suspicious/noExplicitAny: arguments arrive untyped from the page; each command reads its own.
function run(cmd: string, a?: any, b?: any, c?: any, d?: any): unknown {
  if (cmd === 'variant') return variant(a, b, c, d);
  if (cmd === 'track') emit('custom', { name: a, props: b });
  else if (cmd === 'pageview') emit(cmd, { props: a });
  else if (cmd === 'identify') {
    visitor((s) => (s.d = a));
    emit(cmd); // carries user_id, as every later event does
  } else if (cmd === 'optout') {
    visitor((s) => (s.o = 1));
    enqueue(); // empties the queue
  } else if (cmd === 'optin') visitor((s) => (s.o = 0));
  // The GA4 cart and order names; anything else is refused by the server and dropped alone.
  else commerce(cmd as CommerceType, a);
}

/**
 * Starts the tracker: storage, queue, automatic capture; then replays `queued` calls (made
 * before the script loaded) ahead of the first page view, so that view already carries the
 * identity and experiments they set. Nothing it does can throw into the page.
 */
export function createTracker(o: Options, queued: IArguments[] = []): Fh {
  const auto = o.autocapture == null || flag(o.autocapture);
  const fh = safe(run) as Fh;
  configure(o);
  startQueue(o.site, o.endpoint);
  on(document, 'click', (e) => onClick(e, auto));
  if (auto) captureForms();
  for (const args of queued) fh.apply(0, args as never);
  capturePages(flag(o.hash));
  return fh;
}
