import { collector } from './build.ts';
import type { CorpusCase, CorpusExpectation } from './types.ts';

/**
 * Tenant starvation (issue 25, item 2): one site's reports must not take the others' share, and
 * a site's share must be given back after every report, answered or refused. The corpus sends
 * one request at a time, so it holds the second half: more reports one after another than the
 * default bounds allow (`FUNNELHOUSE_REPORT_REQUESTS_PER_KEY` 8, `…_PER_SITE` 16), and every
 * report route still answers 200 (a place not given back would turn into a 429 here). The concurrent half (a second
 * site answered while the first holds its share; `429 report_capacity` with `Retry-After`) needs
 * requests held open at once: `test/integration/report-shares.test.ts`.
 */
const QUERY = '/api/v1/sites/$SITE_ID/funnels/query';
const definition = { steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }] };
const question = { definition, from: '2026-03-01', to: '2026-03-31' };
/** One more than the default per-site bound. */
const PAST_SITE_BOUND = 17;

const answered = (answer: unknown): CorpusExpectation => ({
  status: 200,
  outcome: 'stored',
  rows: 0,
  answer,
});

/** Report routes, each asked after the site has run more reports than its bounds. */
const ROUTES: [string, string, string | undefined, unknown][] = [
  ['funnel query', 'POST', QUERY, { skipped_units: 0 }],
  ['overview', 'GET', '/api/v1/sites/$SITE_ID/overview?from=2026-03-01&to=2026-03-31', { totals: {} }],
  ['realtime', 'GET', '/api/v1/sites/$SITE_ID/realtime', { visitors: 0 }],
  ['events', 'GET', '/api/v1/sites/$SITE_ID/events?from=2026-03-01&to=2026-03-31', { events: [] }],
  ['orders', 'GET', '/api/v1/sites/$SITE_ID/orders/summary?from=2026-03-01&to=2026-03-31', {}],
  ['schema', 'GET', '/api/v1/sites/$SITE_ID/schema?from=2026-03-01&to=2026-03-31', {}],
  ['revenue', 'GET', '/api/v1/sites/$SITE_ID/revenue?from=2026-03-01&to=2026-03-31', {}],
  ['carts', 'GET', '/api/v1/sites/$SITE_ID/carts/abandonment?from=2026-03-01&to=2026-03-31', {}],
];

export function tenantStarvationCases(): CorpusCase[] {
  const { out, add } = collector('tenant_starvation', 'starve');
  const many = (n: number) => Array.from({ length: n }, () => ({ path: QUERY, body: question }));
  for (const [name, method, path, answer] of ROUTES) {
    add(`after ${PAST_SITE_BOUND} reports/${name}`, {
      before: many(PAST_SITE_BOUND),
      method,
      path,
      ...(method === 'POST' ? { body: question } : {}),
      expect: answered(answer),
    });
  }
  return out;
}
