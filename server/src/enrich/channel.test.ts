import { describe, expect, it } from 'vitest';
import { readCampaign } from './campaign.ts';
import { type ChannelInput, classifyChannel } from './channel.ts';

const base: ChannelInput = {
  referrerHost: '',
  host: 'shop.example',
  utmSource: '',
  utmMedium: '',
  clickIdKind: '',
};
const c = (over: Partial<ChannelInput>) => classifyChannel({ ...base, ...over });

describe('classifyChannel', () => {
  it.each([
    ['no referrer, no campaign', {}, 'direct'],
    ['google referrer', { referrerHost: 'google.com' }, 'organic_search'],
    ['country google referrer', { referrerHost: 'google.co.uk' }, 'organic_search'],
    ['bing referrer', { referrerHost: 'bing.com' }, 'organic_search'],
    ['gclid', { referrerHost: 'google.com', clickIdKind: 'gclid' }, 'paid_search'],
    ['cpc from google', { utmSource: 'google', utmMedium: 'cpc' }, 'paid_search'],
    ['msclkid without referrer', { clickIdKind: 'msclkid' }, 'paid_search'],
    ['facebook referrer', { referrerHost: 'm.facebook.com' }, 'social'],
    ['t.co referrer', { referrerHost: 't.co' }, 'social'],
    ['utm_medium social', { utmSource: 'partner', utmMedium: 'social' }, 'social'],
    ['paid social stays social', { utmSource: 'facebook', utmMedium: 'cpc' }, 'social'],
    ['fbclid', { clickIdKind: 'fbclid' }, 'social'],
    ['utm_medium email', { utmSource: 'newsletter', utmMedium: 'email' }, 'email'],
    ['webmail referrer', { referrerHost: 'mail.google.com' }, 'email'],
    ['own host', { referrerHost: 'shop.example' }, 'internal'],
    ['other site', { referrerHost: 'blog.example.org' }, 'referral'],
    ['utm_source alone', { utmSource: 'partner' }, 'referral'],
  ] as const)('%s → %s', (_name, over, want) => {
    expect(c(over)).toBe(want);
  });

  it('does not mistake a host that merely contains a search engine name', () => {
    expect(c({ referrerHost: 'notgoogle.com' })).toBe('referral');
    expect(c({ referrerHost: 'google.com.evil.example' })).toBe('referral');
  });
});

describe('readCampaign', () => {
  it('reads UTM and the first click id kind from the landing URL', () => {
    const u = new URL('https://shop.example/?utm_source=g&utm_medium=cpc&utm_campaign=x&gclid=abc');
    expect(readCampaign(u.searchParams, undefined)).toEqual({
      source: 'g',
      medium: 'cpc',
      campaign: 'x',
      term: '',
      content: '',
      click_id: 'gclid',
    });
  });

  it('prefers the session UTM the snippet sends and ignores unknown click id kinds', () => {
    const u = new URL('https://shop.example/?utm_source=page');
    expect(readCampaign(u.searchParams, { source: 'landing', click_id: 'evil' }).source).toBe('landing');
    expect(readCampaign(u.searchParams, { source: 'landing', click_id: 'evil' }).click_id).toBe('');
  });
});
