/**
 * True when `host` (already lower case, as `URL.hostname` gives it) is on the site's list. An
 * empty list allows every host; `*.shop.example` allows the subdomains of `shop.example`.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  if (host === '') return false;
  return allowed.some((a) => (a.startsWith('*.') ? host.endsWith(a.slice(1)) : host === a));
}
