/**
 * The signed-in key, kept in this browser's localStorage (never sent anywhere but this server).
 * With the admin key, the API keys the dashboard made for sites (the admin key reads no reports)
 * are kept too. Signing out removes both.
 */
import type { SiteSummary } from '@funnelhouse/schemas';

export type Session = { key: string; role: 'admin' } | { key: string; role: 'site'; site: SiteSummary };

const SESSION = 'funnelhouse.session';
const SITE_KEYS = 'funnelhouse.siteKeys';

function read<T>(name: string): T | undefined {
  try {
    const v = localStorage.getItem(name);
    return v ? (JSON.parse(v) as T) : undefined;
  } catch {
    return undefined;
  }
}

export const loadSession = (): Session | undefined => read<Session>(SESSION);
export const saveSession = (s: Session) => localStorage.setItem(SESSION, JSON.stringify(s));

export function signOut(): void {
  localStorage.removeItem(SESSION);
  localStorage.removeItem(SITE_KEYS);
}

/** The API key the admin's dashboard made for a site, if any. */
export const siteKeyFor = (site: string): string | undefined =>
  read<Record<string, string>>(SITE_KEYS)?.[site];
export function rememberSiteKey(site: string, key: string): void {
  localStorage.setItem(
    SITE_KEYS,
    JSON.stringify({ ...read<Record<string, string>>(SITE_KEYS), [site]: key }),
  );
}
export function forgetSiteKey(site: string): void {
  const keys = { ...read<Record<string, string>>(SITE_KEYS) };
  delete keys[site];
  localStorage.setItem(SITE_KEYS, JSON.stringify(keys));
}
