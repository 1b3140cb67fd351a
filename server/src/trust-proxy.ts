import proxyaddr from 'proxy-addr';

/**
 * Which peers may tell us the client's address in `X-Forwarded-For`: `(address, hop) => bool`,
 * hop 0 being the socket's peer, hop 1 the rightmost header entry, and so on leftwards.
 * `undefined` means nobody: the socket's address is the client's.
 */
export type TrustProxy = ((address: string, hop: number) => boolean) | undefined;

/**
 * Parses `FUNNELHOUSE_TRUST_PROXY`: `0`/`false` (nobody), a hop count `N` (the N nearest peers are
 * proxies, whatever their address; `1`/`true` = one), or a comma list of addresses, CIDR ranges and
 * proxy-addr's names `loopback`, `linklocal`, `uniquelocal` (only peers in the list are proxies).
 * Throws with a readable message on anything else.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no') return undefined;
  if (v === 'true' || v === 'yes') return hops(1);
  if (/^\d+$/.test(v)) return hops(Number(v));
  const list = v.split(',').map((s) => s.trim());
  try {
    return proxyaddr.compile(list);
  } catch (err) {
    throw new Error(`not a hop count or a list of addresses/CIDRs: ${(err as Error).message}`);
  }
}

const hops =
  (n: number): TrustProxy =>
  (_address, hop) =>
    hop < n;

/**
 * The client address seen through trusted proxies. Walks from the socket's peer leftwards through
 * `X-Forwarded-For` while the current peer is trusted; the first untrusted address is the client.
 * Entries left of it were written by the client itself and are never read, so a client cannot
 * forge its address (or dodge per-address limits) by sending its own header.
 */
export function addressBehindProxies(
  socketAddress: string,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string {
  if (!trust || !forwardedFor) return socketAddress;
  const chain = forwardedFor
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .reverse();
  let address = socketAddress;
  for (let hop = 0; hop < chain.length && trust(address, hop); hop++) address = chain[hop] as string;
  return address;
}
