import { collector, rejected } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Malformed values of API routes that were checked too loosely: a forecast's `as_of` that only
 * looked like a date (500s, a history from year 3811, a day that does not exist echoed back), and
 * webhook URLs whose IPv6 host carries an IPv4 address by Teredo. Refused at the door.
 */
const AS_OF = [
  '2026-13-01',
  '2026-00-10',
  '2026-12-32',
  '2026-02-30',
  '2026-04-31',
  '2027-02-29',
  '1000-01-01',
  '0000-01-01',
  '1999-12-31',
  '2100-01-01',
  '9999-12-31',
];

/** Teredo 2001::/32: the relay's IPv4 address, then the client's with its bits inverted. */
const TEREDO = [
  ['client 127.0.0.1', 'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook'],
  ['client 169.254.169.254 (metadata)', 'http://[2001:0:4136:e378:8000:63bf:5601:5601]/latest/meta-data/'],
  ['client 10.0.0.1', 'https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]:8443/hook'],
  ['shortest spelling', 'http://[2001::1]/hook'],
  ['relay 127.0.0.1', 'http://[2001:0:7f00:1::]/hook'],
  ['upper case, zeros written out', 'http://[2001:0000:4136:E378:8000:63BF:3FFF:FDD2]/hook'],
];

export function invalidApiCases(): CorpusCase[] {
  const { out, add } = collector('invalid', 'invalid');
  for (const asOf of AS_OF) {
    add(`forecast as_of/${asOf}`, {
      method: 'GET',
      path: `/api/v1/sites/$SITE_ID/forecast?as_of=${asOf}&days=7`,
      expect: rejected('invalid_query'),
    });
  }
  for (const [name, url] of TEREDO) {
    add(`webhook url/Teredo ${name}`, {
      method: 'PUT',
      path: '/api/v1/sites/$SITE_ID/webhooks/recovery',
      body: { url },
      expect: rejected('refused_address'),
    });
  }
  return out;
}
