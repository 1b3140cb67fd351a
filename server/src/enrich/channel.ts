import type { Channel } from '@funnelhouse/schemas';
import { isPaidSearchClickId } from './campaign.ts';

// Host suffixes (after dropping `www.`). A suffix matches the host itself or any subdomain.
const SEARCH = [
  'google.com',
  'bing.com',
  'duckduckgo.com',
  'search.yahoo.com',
  'yahoo.com',
  'baidu.com',
  'yandex.ru',
  'yandex.com',
  'ecosia.org',
  'search.brave.com',
  'startpage.com',
  'qwant.com',
  'naver.com',
  'seznam.cz',
  'ask.com',
  'kagi.com',
];
const SOCIAL = [
  'facebook.com',
  'fb.com',
  'instagram.com',
  't.co',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'lnkd.in',
  'reddit.com',
  'pinterest.com',
  'tiktok.com',
  'youtube.com',
  'youtu.be',
  'threads.net',
  'bsky.app',
  'mastodon.social',
  'vk.com',
  'snapchat.com',
  'quora.com',
];
const EMAIL = [
  'mail.google.com',
  'outlook.live.com',
  'outlook.office.com',
  'mail.yahoo.com',
  'mail.proton.me',
];
const SOCIAL_SOURCES =
  /^(facebook|fb|instagram|ig|twitter|x|linkedin|reddit|pinterest|tiktok|youtube|threads|bluesky|snapchat|meta)$/i;
const SEARCH_SOURCES = /^(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|brave|naver)$/i;
const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid[_-]search|cpm|cpv|display|paid[_-]?social|ads?)$/i;
const EMAIL_MEDIUM = /^(e-?mail|newsletter)$/i;
const SOCIAL_MEDIUM = /^(social|social[_-]network|social[_-]media|sm)$/i;

/** Google's search hosts are country domains (google.de, google.co.uk), so match by label. */
function isSearchHost(host: string): boolean {
  return /(^|\.)google\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$/.test(host) || matches(host, SEARCH);
}

function matches(host: string, list: readonly string[]): boolean {
  return list.some((s) => host === s || host.endsWith(`.${s}`));
}

export function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

export interface ChannelInput {
  /** Referrer host without `www.`, empty when there is none. */
  referrerHost: string;
  /** Page host without `www.`. */
  host: string;
  utmSource: string;
  utmMedium: string;
  clickIdKind: string;
}

/**
 * Default channel grouping, in precedence order: campaign tags first (they are deliberate), then
 * ad click ids, then the referrer's kind; a visit with none of these is direct.
 */
export function classifyChannel(i: ChannelInput): Channel {
  const ref = refererKind(i.referrerHost, i.host);
  const paid = PAID_MEDIUM.test(i.utmMedium);
  const socialSource = SOCIAL_SOURCES.test(i.utmSource) || ref === 'social';
  const searchSource = SEARCH_SOURCES.test(i.utmSource) || ref === 'search';
  if (EMAIL_MEDIUM.test(i.utmMedium) || ref === 'email') return 'email';
  if (isPaidSearchClickId(i.clickIdKind) || (paid && searchSource)) return 'paid_search';
  if (SOCIAL_MEDIUM.test(i.utmMedium) || socialSource || i.clickIdKind === 'fbclid') return 'social';
  if (ref === 'search') return 'organic_search';
  if (ref === 'internal') return 'internal';
  if (ref === 'other' || i.utmSource !== '' || paid) return 'referral';
  return 'direct';
}

/** What kind of site the referrer is. Webmail is checked first: mail.google.com is not search. */
function refererKind(
  ref: string,
  host: string,
): 'none' | 'email' | 'search' | 'social' | 'internal' | 'other' {
  if (ref === '') return 'none';
  if (matches(ref, EMAIL)) return 'email';
  if (isSearchHost(ref)) return 'search';
  if (matches(ref, SOCIAL)) return 'social';
  if (ref === host) return 'internal';
  return 'other';
}
