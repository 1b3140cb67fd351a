import { CLICK_IDS } from './campaign.ts';
import { hasCardNumber } from './card.ts';
import { hasEmail, redactEmails } from './email.ts';
import { forMatching } from './matchable.ts';
import { hasJwt, isSecretName, isSecretValue } from './secrets.ts';

/**
 * What is removed from every URL-like field (page URL, referrer, link target) before it is stored.
 * The README's "What is stored" section lists the same rules for users; keep the two in step.
 *
 * - user name and password (`https://user:pw@host/`): removed;
 * - query parameters whose name is a secret (`secrets.ts`: by name parts, so `accessToken`,
 *   `X-Amz-Signature`, `api-key`, `reset_token`), whose value holds an e-mail address or a JWT, and
 *   ad click ids: every value replaced by one `[redacted]`, moved to the end;
 * - the fragment, when it carries parameters (`#access_token=…&token_type=bearer`, or a hash
 *   route's `#/cb?code=…`): the same rules; a fragment that otherwise holds an address or a JWT
 *   becomes `#[redacted]`;
 * - path parameters (`;jsessionid=…`) with a secret name or value: the value becomes `[redacted]`;
 *   a path segment that is a JWT becomes `[redacted]`; a path holding an e-mail address becomes
 *   `/[redacted]`.
 *
 * Every step is linear in the URL's length (a visitor chooses the URL; see `email.ts`).
 */
const REDACTED = '[redacted]';
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
 * The query of a parsed URL as parameters (as `u.searchParams` reads them, but not tied to `u`,
 * which the scrub changes), or undefined when it has none. Parsed once per URL: the scrub and the
 * campaign step read the same parameters.
 */
export function queryOf(u: URL): URLSearchParams | undefined {
  return u.search === '' ? undefined : new URLSearchParams(u.search);
}

/**
 * Scrubs `u` by the rules above, in place (the URL is parsed once per event: no copy, no parse of
 * the result), and returns its href. `query` is `queryOf(u)` when the caller has it already.
 */
export function scrubUrl(u: URL, query: URLSearchParams | undefined = queryOf(u)): string {
  u.username = '';
  u.password = '';
  // The rules have always read a query that starts with `?` (`??a=1`) without it (`a`), where
  // `searchParams` reads `?a`: kept, so that a row is stored as it was.
  const params = u.search.startsWith('??') ? new URLSearchParams(u.search.slice(1)) : query;
  const cleanQuery = params && scrubQuery(params);
  if (cleanQuery !== undefined) u.search = cleanQuery;
  u.pathname = scrubPath(u.pathname);
  const fragment = scrubFragment(u.hash.slice(1));
  if (fragment !== undefined) u.hash = fragment;
  return u.href;
}

/** The query string with secret parameters redacted, or undefined when nothing is. */
function scrubQuery(params: URLSearchParams): string | undefined {
  const pairs = [...params];
  const redact = new Set<string>();
  let secretKey = false;
  for (const [k, v] of pairs) {
    if (isSecretValue(k)) secretKey = true;
    else if (isSecretName(k) || CLICK_ID_NAMES.has(k) || isSecretValue(v)) redact.add(k);
  }
  if (redact.size === 0 && !secretKey) return undefined;
  // One pass and one rebuild: deleting parameters one by one costs time quadratic in their count.
  const kept = pairs.filter(([k]) => !redact.has(k) && !isSecretValue(k));
  for (const k of redact) kept.push([k, REDACTED]);
  if (secretKey) kept.push([REDACTED, '']);
  return new URLSearchParams(kept).toString();
}

/** The path (as serialised, percent-encoded) by the path rules above. */
function scrubPath(path: string): string {
  const m = forMatching(path);
  if (hasEmail(m)) return `/${REDACTED}`;
  // Segments are judged one by one only when the whole path may hold something to redact.
  if (!path.includes(';') && !hasJwt(m) && !hasCardNumber(m)) return path;
  return path
    .split('/')
    .map((segment) => {
      const [head = '', ...params] = segment.split(';');
      const name = isSecretValue(head) ? REDACTED : head;
      return [name, ...params.map(scrubPathParam)].join(';');
    })
    .join('/');
}

function scrubPathParam(p: string): string {
  const eq = p.indexOf('=');
  const name = eq === -1 ? p : p.slice(0, eq);
  const value = eq === -1 ? '' : p.slice(eq + 1);
  return isSecretName(name) || isSecretValue(value) ? `${name}=${REDACTED}` : p;
}

/**
 * The fragment by the fragment rules, or undefined when it stays. Parameters are what follows a
 * `?` (hash routers), else the whole fragment when it has a `=` (OAuth's implicit flow).
 */
function scrubFragment(f: string): string | undefined {
  if (f === '') return undefined;
  const qAt = f.indexOf('?');
  const split = qAt !== -1 ? qAt : f.includes('=') ? 0 : f.length;
  const route = f.slice(0, split);
  const sep = qAt !== -1 ? '?' : '';
  const params = f.slice(qAt !== -1 ? qAt + 1 : split);
  const cleanParams = params === '' ? undefined : scrubQuery(new URLSearchParams(params));
  const cleanRoute = route !== '' && isSecretValue(route) ? REDACTED : undefined;
  if (cleanParams === undefined && cleanRoute === undefined) return undefined;
  return `${cleanRoute ?? route}${sep}${cleanParams ?? params}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const RELATIVE_BASE = 'https://relative.invalid';

/**
 * A clicked link's target as stored: an http(s) URL is scrubbed like a page URL, and so is a
 * relative one (resolved against a placeholder origin, which is taken off again); any other target
 * (`mailto:`, `tel:`, `javascript:`) is read decoded and in NFKC: each `name=value` in it with a
 * secret name or value has its value replaced, then each e-mail address; a JWT or card number
 * left outside any parameter makes the whole target `<scheme>:[redacted]`. A target with nothing
 * to redact is kept as written.
 */
export function scrubHref(raw: string): string {
  const u = parseUrl(raw);
  if (u) return scrubUrl(u);
  const scheme = SCHEME.exec(raw)?.[0];
  if (scheme === undefined) return scrubRelative(raw);
  const m = forMatching(raw);
  const clean = redactEmails(redactParams(m));
  if (hasJwt(clean) || hasCardNumber(clean)) return `${scheme}${REDACTED}`;
  return clean === m ? raw : clean;
}

// A parameter's name: the run of these just before a `=`; its value runs to a stop or a space.
const PARAM_NAME = /^[A-Za-z0-9_.[\]-]$/;
const VALUE_STOPS = new Set([...'&#;,()<>\'"`'].map((c) => c.charCodeAt(0)));
const endsValue = (c: number) => c <= 0x20 || VALUE_STOPS.has(c);

/**
 * Every `name=value` in free text (script, a `mailto:` body) with a secret name or value gets
 * `[redacted]` for its value. Anchored on each `=`: the name is scanned back no further than the
 * end of the previous value, the value forward to a stop, so each character is visited at most
 * twice.
 */
function redactParams(s: string): string {
  let out = '';
  let kept = 0; // `s` before this index is in `out`
  let floor = 0; // a name starts no earlier than the end of the previous value
  for (let eq = s.indexOf('='); eq !== -1; eq = s.indexOf('=', floor)) {
    let start = eq;
    while (start > floor && PARAM_NAME.test(s[start - 1] as string)) start--;
    let end = eq + 1;
    while (end < s.length && !endsValue(s.charCodeAt(end))) end++;
    const name = s.slice(start, eq);
    const value = s.slice(eq + 1, end);
    if (name !== '' && value !== '' && (isSecretName(name) || isSecretValue(value))) {
      out += s.slice(kept, eq + 1) + REDACTED;
      kept = end;
    }
    floor = Math.max(end, eq + 1);
  }
  return kept === 0 ? s : out + s.slice(kept);
}

/** A relative target, kept as written unless something in it is redacted. */
function scrubRelative(raw: string): string {
  let abs: URL;
  try {
    abs = new URL(raw, RELATIVE_BASE);
  } catch {
    return redactEmails(decodeSafe(raw));
  }
  const before = abs.href;
  const clean = scrubUrl(abs);
  if (clean === before) return raw;
  // `//host/…` keeps its host; a path keeps only its path.
  return abs.origin === RELATIVE_BASE ? clean.slice(RELATIVE_BASE.length) : clean.slice(abs.protocol.length);
}
