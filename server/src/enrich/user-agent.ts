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

/** Browser, major version, OS and device class from a user agent (ua-parser-js 1.x, MIT). */
export function parseUserAgent(ua: string): ClientInfo {
  const r = new UAParser(ua).getResult();
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
