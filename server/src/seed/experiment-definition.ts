import type { ExperimentDefinition } from '@funnelhouse/schemas';
import { BUNDLE_EXPERIMENT, CTA_EXPERIMENT } from './experiment.ts';

/**
 * The definition of the seeded `cta-color` experiment, as `pnpm seed` saves it: the split the
 * generator assigns (50/50), `red` the control, and checkout → purchase as the primary metric
 * (the exposure is sent when checkout first renders, so a purchase after it is that step).
 */
export const CTA_DEFINITION: ExperimentDefinition = {
  key: CTA_EXPERIMENT.key,
  name: 'Checkout button colour',
  hypothesis: 'Green checkout buttons complete more checkouts than red ones.',
  variants: [
    { key: 'red', weight: 50 },
    { key: 'green', weight: 50 },
  ],
  control: 'red',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86_400 },
  secondary_metrics: [
    { kind: 'revenue_per_visitor' },
    { kind: 'orders_per_visitor' },
    { kind: 'average_order_value' },
  ],
};

/**
 * The seeded `cart-bundle` experiment: its true effect is on order value (× 1.43), not on
 * conversion, so average order value is the primary metric (capped at the 99th percentile, so
 * a few huge baskets cannot decide it) and conversion a secondary that should show nothing.
 */
export const BUNDLE_DEFINITION: ExperimentDefinition = {
  key: BUNDLE_EXPERIMENT.key,
  name: 'Care-kit bundle in the cart',
  hypothesis: 'Offering the care kit in the cart makes orders bigger without losing buyers.',
  variants: [
    { key: 'none', weight: 50 },
    { key: 'bundle', weight: 50 },
  ],
  control: 'none',
  status: 'running',
  primary_metric: { kind: 'average_order_value', cap: { percentile: 0.99 } },
  secondary_metrics: [
    { kind: 'revenue_per_visitor' },
    { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86_400 },
  ],
};

export const SEEDED_DEFINITIONS = [CTA_DEFINITION, BUNDLE_DEFINITION];

/** The demo site's id: the server defines `SEEDED_DEFINITIONS` on it when it first creates it. */
export const DEMO_SITE_ID = 'demo';

export type SaveOutcome = 'created' | 'replaced' | { status: number };

/** Saves a definition for a site (POST, or PUT when the key exists already). */
export async function saveDefinition(
  url: string,
  site: string,
  apiKey: string,
  definition: ExperimentDefinition,
): Promise<SaveOutcome> {
  const base = `${url}/api/v1/sites/${encodeURIComponent(site)}/experiments`;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(base, { method: 'POST', headers, body: JSON.stringify(definition) });
  if (created.status === 201) return 'created';
  if (created.status !== 409) return { status: created.status };
  const { key: _key, ...fields } = definition;
  const put = await fetch(`${base}/${definition.key}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify(fields),
  });
  return put.status === 200 ? 'replaced' : { status: put.status };
}
