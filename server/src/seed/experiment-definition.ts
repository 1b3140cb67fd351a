import type { ExperimentDefinition } from '@funnelhouse/schemas';
import { CTA_EXPERIMENT } from './experiment.ts';

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

export type SaveOutcome = 'created' | 'replaced' | { status: number };

/** Saves the definition for a site (POST, or PUT when the key exists already). */
export async function saveCtaDefinition(url: string, site: string, apiKey: string): Promise<SaveOutcome> {
  const base = `${url}/api/v1/sites/${encodeURIComponent(site)}/experiments`;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(base, { method: 'POST', headers, body: JSON.stringify(CTA_DEFINITION) });
  if (created.status === 201) return 'created';
  if (created.status !== 409) return { status: created.status };
  const { key: _key, ...fields } = CTA_DEFINITION;
  const put = await fetch(`${base}/${CTA_DEFINITION.key}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify(fields),
  });
  return put.status === 200 ? 'replaced' : { status: put.status };
}
