import type { Utm } from '@funnelhouse/schemas';
import { isSecretValue } from './secrets.ts';

/** Ad click id parameters and the network each belongs to. Only the kind is stored. */
export const CLICK_IDS = [
  'gclid',
  'gbraid',
  'wbraid',
  'dclid',
  'msclkid',
  'fbclid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'epik',
  'yclid',
  'sccid',
] as const;
const PAID_SEARCH_CLICK_IDS = new Set(['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'yclid']);

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * Campaign of an event: the landing UTM the snippet kept for the session, else the page URL's own
 * (`query`: its parameters as sent, before scrubbing, from `queryOf`). A value holding an e-mail
 * address or a JWT is stored as `[redacted]`, as it is in the URL: the snippet sends its `utm`
 * object unscrubbed (its byte budget has no room for the rules).
 */
export function readCampaign(query: URLSearchParams | undefined, utm: Utm | undefined): Required<Utm> {
  const out = rawCampaign(query, utm);
  for (const k of UTM_KEYS) if (isSecretValue(out[k])) out[k] = '[redacted]';
  return out;
}

function rawCampaign(query: URLSearchParams | undefined, utm: Utm | undefined): Required<Utm> {
  const out: Required<Utm> = {
    source: '',
    medium: '',
    campaign: '',
    term: '',
    content: '',
    click_id: '',
  };
  if (utm) {
    for (const k of UTM_KEYS) out[k] = utm[k] ?? '';
    out.click_id = (CLICK_IDS as readonly string[]).includes(utm.click_id ?? '') ? (utm.click_id ?? '') : '';
    return out;
  }
  if (!query) return out;
  for (const k of UTM_KEYS) out[k] = query.get(`utm_${k}`)?.slice(0, 500) ?? '';
  out.click_id = CLICK_IDS.find((k) => query.has(k)) ?? '';
  return out;
}

export function isPaidSearchClickId(kind: string): boolean {
  return PAID_SEARCH_CLICK_IDS.has(kind);
}
