import type { ServerEvent, ServerEventsResponse } from '@funnelhouse/schemas';
import { nanoid } from 'nanoid';

/** Posts a batch to the server events API with a secret key. */
export async function postEvents(
  s: { url: string },
  siteId: string,
  key: string,
  events: unknown[],
  source?: 'server' | 'import',
): Promise<{ status: number; body: ServerEventsResponse & { error?: { code: string } } }> {
  const res = await fetch(`${s.url}/api/v1/sites/${siteId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...(source ? { source } : {}), events }),
  });
  return {
    status: res.status,
    body: (await res.json()) as ServerEventsResponse & { error?: { code: string } },
  };
}

/** A server-side pageview at an absolute time; override any field. */
export function serverPageview(ts: number, over: Partial<ServerEvent> = {}): ServerEvent {
  return {
    id: nanoid(),
    type: 'pageview',
    ts,
    url: 'https://shop.example/',
    visitor_id: 'v-1',
    ...over,
  } as ServerEvent;
}

export const DAY_MS = 86_400_000;

/** Midnight UTC `n` days ago plus `hours`, and its calendar date. */
export function daysAgo(n: number, hours = 12): { ms: number; day: string } {
  const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS - n * DAY_MS;
  const ms = midnight + hours * 3_600_000;
  return { ms, day: new Date(ms).toISOString().slice(0, 10) };
}
