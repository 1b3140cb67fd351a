import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { TrustProxy } from './trust-proxy.ts';

/** Options for `createServer`: slow headers and slow bodies are cut (Node answers 408). */
export function connectionTimeouts(c: Config['connections']) {
  return {
    headersTimeout: c.headersTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    // Node checks the two timeouts on this period (30 s by default), so a slow client could
    // otherwise hold its socket up to that long past its deadline.
    connectionsCheckingInterval: Math.min(1000, c.headersTimeoutMs),
  };
}

/**
 * Caps open connections, in all and per peer address, so that one address opening thousands of
 * idle or trickling connections cannot take the process to its file-descriptor limit. Sockets
 * over a cap are destroyed at once, before any byte is read. Trusted proxies are exempt from the
 * per-address cap: behind one, every connection comes from its address, and the proxy is where
 * per-client limits belong.
 */
export function limitConnections(
  server: Server,
  c: Config['connections'],
  trust: TrustProxy,
  metrics: Metrics,
): void {
  server.maxConnections = c.max;
  server.on('drop', () => metrics.connectionsRefused.inc({ reason: 'max_connections' }));
  if (c.perAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (trust?.(address, 0)) return;
    const n = open.get(address) ?? 0;
    if (n >= c.perAddress) {
      metrics.connectionsRefused.inc({ reason: 'per_address' });
      socket.destroy();
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
