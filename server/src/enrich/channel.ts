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
  return /(^|\.)google\.[a-z.]+$/.test(host) || matches(host, SEARCH);
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
  const ref = i.referrerHost;
  const paid = PAID_MEDIUM.test(i.utmMedium);
  const socialSource = SOCIAL_SOURCES.test(i.utmSource) || (ref !== '' && matches(ref, SOCIAL));
  const searchSource = SEARCH_SOURCES.test(i.utmSource) || (ref !== '' && isSearchHost(ref));
  if (EMAIL_MEDIUM.test(i.utmMedium)) return 'email';
  if (isPaidSearchClickId(i.clickIdKind) || (paid && searchSource)) return 'paid_search';
  if (SOCIAL_MEDIUM.test(i.utmMedium) || socialSource || i.clickIdKind === 'fbclid') return 'social';
  if (ref !== '' && isSearchHost(ref)) return 'organic_search';
  if (ref !== '' && matches(ref, EMAIL)) return 'email';
  if (ref !== '' && ref === i.host) return 'internal';
  if (ref !== '' || i.utmSource !== '' || paid) return 'referral';
  return 'direct';
}
