import { randomUUID } from 'node:crypto';
import type { EventRow, Store } from '@funnelhouse/server';
import type { OracleEvent } from './oracle-match.ts';

let seq = 0;

/** A full `events_v1` row with empty defaults; override what the case needs. */
export function eventRow(site: string, over: Partial<EventRow> & { ts: number }): EventRow {
  seq += 1;
  return {
    site_id: site,
    event_id: `e${seq}`,
    type: 'pageview',
    name: '',
    received_at: over.ts,
    source: 'import',
    visitor_id: 'v1',
    session_id: 's1',
    user_id: '',
    url: 'https://shop.example/',
    host: 'shop.example',
    path: '/',
    title: '',
    referrer: '',
    referrer_host: '',
    channel: 'direct',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_term: '',
    utm_content: '',
    click_id_kind: '',
    browser: 'Chrome',
    browser_version: '131',
    os: 'Linux',
    device: 'desktop',
    country: '',
    el_tag: '',
    el_id: '',
    el_classes: '',
    el_selector: '',
    el_text: '',
    el_href: '',
    form_id: '',
    form_name: '',
    form_fields: [],
    cart_id: '',
    order_id: '',
    revenue: 0,
    currency: '',
    items: [],
    experiments: {},
    props: {},
    ...over,
  };
}

/**
 * Inserts rows straight into events_v1 (no HTTP, no enrichment), each call with a token of its
 * own. A chdb session keeps the settings of its last query: after the server's flusher inserted a
 * batch with its `insert_deduplication_token`, an insert without one on the same connection
 * carries that token, and the table drops it as a replay of that batch (every row lost, no error).
 */
export async function insertRows(store: Store, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.ch.insert({
    table: `${store.db}.events_v1`,
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: randomUUID() },
  });
}

/** The oracle reads the same rows. */
export function asOracle(rows: EventRow[]): OracleEvent[] {
  return rows as unknown as OracleEvent[];
}
