import { body, collector, ev } from './build.ts';
import type { CorpusCase } from './types.ts';

const EVENTS_PATH = '/api/v1/sites/$SITE_ID/events';

/** A purchase as the browser and the payment webhook both report it; the server's `ts` is absolute. */
const purchase = (id: string, revenue: number) =>
  ev(id, {
    type: 'purchase',
    order_id: 'ord-1042',
    revenue,
    currency: 'EUR',
    url: 'https://shop.example/thanks',
  });

/**
 * Id squatting: anyone holding the public site key posts, through `/collect`, the id a site's
 * server will use later (the README's own `ord-1042-paid` pattern, guessable ones), with a tiny
 * revenue. The webhook's event must still be stored as sent: browser and server ids are separate
 * spaces, so both rows exist and the order's revenue is the server's.
 */
const IDS: [string, string][] = [
  ['readme pattern', 'ord-1042-paid'],
  ['order number', '1042'],
  ['uuid-like', '4b0c6f1e-2f5a-4c55-9d0e-0e3b8f1a7c21'],
  ['unicode', 'zahlung-größe-✓'],
  ['max length', 'o'.repeat(128)],
];

export function squattingCases(): CorpusCase[] {
  const { out, add } = collector('id_squatting', 'squat');
  for (const [name, id] of IDS) {
    const server = { events: [{ ...purchase(id, 59.9), session_id: undefined }] };
    const rows = [
      { event_id: id, source: 'browser' as const, column: 'revenue', value: 0.01 },
      { event_id: id, source: 'server' as const, column: 'revenue', value: 59.9 },
    ];
    add(`browser first/${name}`, {
      before: [{ body: body([purchase(id, 0.01)]) }],
      path: EVENTS_PATH,
      body: server,
      expect: {
        status: 200,
        outcome: 'stored',
        answer: { results: [{ id, status: 'stored' }] },
        rows: 2,
        readback: rows,
      },
    });
    add(`server first/${name}`, {
      before: [{ path: EVENTS_PATH, body: server }],
      body: body([purchase(id, 0.01)]),
      expect: { status: 202, outcome: 'stored', accepted: 1, dropped: 0, rows: 2, readback: rows },
    });
  }
  return out;
}
