import type { DeviceType } from '@funnelhouse/schemas';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

export interface ClientInfo {
  browser: string;
  browserVersion: string;
  os: string;
  device: DeviceType;
}

/**
 * The answers for recently seen agents, oldest first. Real traffic repeats a few hundred agents,
 * and both the bot pattern and the parser cost tens of microseconds per call (4 % of the
 * server's CPU under load). Bounded in entries and in key length, so a client sending random
 * agents only ever evicts. Values are frozen: rows copy their fields.
 */
const MEMO_ENTRIES = 2000;
const MEMO_KEY_LENGTH = 512;
const bots = new Map<string, boolean>();
const clients = new Map<string, Readonly<ClientInfo>>();

/** Entries held by the memos (for tests). */
export const memoSizes = () => ({ bots: bots.size, clients: clients.size });

function remembered<V>(memo: Map<string, V>, ua: string, compute: (ua: string) => V): V {
  if (ua.length > MEMO_KEY_LENGTH) return compute(ua);
  const hit = memo.get(ua);
  if (hit !== undefined) return hit;
  const v = compute(ua);
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(ua, v);
  return v;
}

/** True for crawlers, monitors, headless tools and requests without a user agent. */
export function isBotAgent(ua: string): boolean {
  return remembered(bots, ua, (a) => a.trim() === '' || isbot(a));
}

/**
 * Longest user agent handed to the parser. ua-parser-js 1.x cuts at 500 characters itself
 * (`UA_MAX_LENGTH`); cutting here too keeps the bound if the library changes. Real agents are
 * under 300 characters; a client sends up to 16 KB of headers. The bot check reads the whole
 * agent: isbot's pattern is linear (`collect-cost.test.ts` measures 12 KB agents).
 */
const UA_PARSE_LENGTH = 512;

/** Browser, major version, OS and device class from a user agent (ua-parser-js 1.x, MIT). */
export function parseUserAgent(ua: string): Readonly<ClientInfo> {
  return remembered(clients, ua, parseAgent);
}

function parseAgent(ua: string): Readonly<ClientInfo> {
  const r = new UAParser(ua.slice(0, UA_PARSE_LENGTH)).getResult();
  const type = r.device.type;
  const device: DeviceType =
    type === undefined ? 'desktop' : type === 'mobile' || type === 'tablet' ? type : 'other';
  return Object.freeze({
    browser: r.browser.name ?? '',
    browserVersion: r.browser.major ?? '',
    os: r.os.name ?? '',
    device,
  });
}
