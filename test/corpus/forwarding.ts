import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Forged forwarding headers. The corpus server trusts one proxy hop, so the rightmost
 * `X-Forwarded-For` entry (5.9.0.1, a German address, as "our proxy" appended it) names the
 * client; whatever the client wrote to its left, and headers no proxy of ours sets, never count.
 */
const FORGED: [string, Record<string, string>][] = [
  ['gb entry left of the real one', { 'x-forwarded-for': '81.2.69.142, 5.9.0.1' }],
  ['many forged entries', { 'x-forwarded-for': '81.2.69.142, 8.8.8.8, 1.1.1.1, 5.9.0.1' }],
  ['garbage entries', { 'x-forwarded-for': 'evil, <script>, , 5.9.0.1' }],
  ['loopback forged', { 'x-forwarded-for': '127.0.0.1, 5.9.0.1' }],
  ['ipv6 forged', { 'x-forwarded-for': '2001:db8::1, 5.9.0.1' }],
  ['x-real-ip', { 'x-real-ip': '81.2.69.142', 'x-forwarded-for': '5.9.0.1' }],
  ['forwarded header', { forwarded: 'for=81.2.69.142', 'x-forwarded-for': '5.9.0.1' }],
  [
    'client-ip headers',
    { 'true-client-ip': '81.2.69.142', 'cf-connecting-ip': '81.2.69.142', 'x-forwarded-for': '5.9.0.1' },
  ],
];

export function forwardingCases(): CorpusCase[] {
  const { out, add } = collector('forged_forwarding', 'forwarding');
  FORGED.forEach(([name, headers], i) => {
    const id = `xff${i}`;
    add(name, {
      headers,
      body: body([ev(id)]),
      expect: storedOne([{ event_id: id, column: 'country', value: 'DE' }]),
    });
  });
  return out;
}
