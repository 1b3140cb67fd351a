import type { CollectEvent } from '@funnelhouse/schemas';
import { nanoid } from 'nanoid';

/** A pageview with sensible defaults; override any field. */
export function pageview(over: Partial<CollectEvent> = {}): CollectEvent {
  return {
    id: nanoid(),
    type: 'pageview',
    ts: Date.now(),
    url: 'https://shop.example/products/1',
    visitor_id: 'v-1',
    session_id: 's-1',
    ...over,
  } as CollectEvent;
}

/** A collect body for `site` holding `events`, sent now. */
export function batch(site: string, events: CollectEvent[], sentAt = Date.now()) {
  return { site, sent_at: sentAt, events };
}
