import type { DeviceType } from '@funnelhouse/schemas';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

export interface ClientInfo {
  browser: string;
  browserVersion: string;
  os: string;
  device: DeviceType;
}

/** True for crawlers, monitors, headless tools and requests without a user agent. */
export function isBotAgent(ua: string): boolean {
  return ua.trim() === '' || isbot(ua);
}

/**
 * Longest user agent handed to the parser. ua-parser-js 1.x cuts at 500 characters itself
 * (`UA_MAX_LENGTH`); cutting here too keeps the bound if the library changes. Real agents are
 * under 300 characters; a client sends up to 16 KB of headers. The bot check reads the whole
 * agent: isbot's pattern is linear (`collect-cost.test.ts` measures 12 KB agents).
 */
const UA_PARSE_LENGTH = 512;

/** Browser, major version, OS and device class from a user agent (ua-parser-js 1.x, MIT). */
export function parseUserAgent(ua: string): ClientInfo {
  const r = new UAParser(ua.slice(0, UA_PARSE_LENGTH)).getResult();
  const type = r.device.type;
  const device: DeviceType =
    type === undefined ? 'desktop' : type === 'mobile' || type === 'tablet' ? type : 'other';
  return {
    browser: r.browser.name ?? '',
    browserVersion: r.browser.major ?? '',
    os: r.os.name ?? '',
    device,
  };
}
