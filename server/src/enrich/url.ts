import { CLICK_IDS } from './campaign.ts';

const SECRET_PARAM =
  /^(token|access_token|id_token|refresh_token|auth|authorization|password|passwd|pwd|pass|secret|client_secret|api_?key|key|apikey|session|sessionid|sid|jwt|code|otp|signature|sig)$/i;
const EMAIL = /[^\s@/?#&=:]+@[^\s@/?#&=]+\.[a-z]{2,}/i;

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
  const out = new URL(u.href);
  const keys = [...new Set(out.searchParams.keys())];
  for (const k of keys) {
    const values = out.searchParams.getAll(k);
    const secret = SECRET_PARAM.test(k) || (CLICK_IDS as readonly string[]).includes(k);
    if (secret || values.some((v) => EMAIL.test(v))) {
      out.searchParams.delete(k);
      out.searchParams.append(k, '[redacted]');
    }
  }
  if (EMAIL.test(decodeURIComponentSafe(out.pathname))) out.pathname = '/[redacted]';
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
  return EMAIL.test(decoded) ? decoded.replace(new RegExp(EMAIL.source, 'gi'), '[redacted]') : raw;
}
