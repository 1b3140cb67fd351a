import type { EventRow } from './enrich/row.ts';

/**
 * Event ids live in two spaces per site. `browser` ids come from `/collect`, where anyone with
 * the public site key writes; `trusted` ids come from the site's own servers and imports, sent
 * with a secret key. Keeping them apart means a page visitor who guesses a webhook's id (say
 * `ord-1042-paid`) cannot occupy it before the payment system sends the real row: each space
 * keeps the first version of each id, and neither can drop or shadow a row of the other.
 */
export type IdSpace = 'browser' | 'trusted';

export const idSpaceOf = (source: EventRow['source']): IdSpace =>
  source === 'browser' ? 'browser' : 'trusted';

/** The key under which an id is stored once: site, space, id. */
export const idKey = (siteId: string, space: IdSpace, eventId: string): string =>
  `${siteId}\u0000${space}\u0000${eventId}`;

export const rowIdKey = (r: Pick<EventRow, 'site_id' | 'source' | 'event_id'>): string =>
  idKey(r.site_id, idSpaceOf(r.source), r.event_id);
