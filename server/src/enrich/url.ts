import { CLICK_IDS } from './campaign.ts';
import { hasEmail, redactEmails } from './email.ts';

const SECRET_PARAM =
  /^(token|access_token|id_token|refresh_token|auth|authorization|password|passwd|pwd|pass|secret|client_secret|api_?key|key|apikey|session|sessionid|sid|jwt|code|otp|signature|sig)$/i;
const CLICK_ID_NAMES: ReadonlySet<string> = new Set(CLICK_IDS);

/** Parses a URL, or returns undefined for something that is not an absolute http(s) URL. */
export function parseUrl(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL as stored: secret-looking parameters, e-mail addresses and ad click id values are
 * replaced by `[redacted]`, so that query strings never carry credentials or personal data.
 */
export function scrubUrl(u: URL): string {
  // Every step is linear in the URL's length: a visitor chooses the URL (see `email.ts`).
  const out = new URL(u.href);
  const pairs = [...out.searchParams];
  const redact = new Set<string>();
  for (const [k, v] of pairs) if (SECRET_PARAM.test(k) || CLICK_ID_NAMES.has(k) || hasEmail(v)) redact.add(k);
  if (redact.size > 0) {
    // One rebuild: deleting parameters one by one costs time quadratic in their count.
    const kept = pairs.filter(([k]) => !redact.has(k));
    for (const k of redact) kept.push([k, '[redacted]']);
    out.search = new URLSearchParams(kept).toString();
  }
  if (hasEmail(decodeURIComponentSafe(out.pathname))) out.pathname = '/[redacted]';
  return out.href;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A clicked link's target as stored: an http(s) URL is scrubbed like a page URL; any other
 * target (`mailto:`, `tel:`, relative) has its e-mail addresses replaced.
 */
export function scrubHref(raw: string): string {
  const u = parseUrl(raw);
  if (u) return scrubUrl(u);
  const decoded = decodeURIComponentSafe(raw);
  return hasEmail(decoded) ? redactEmails(decoded) : raw;
}
