import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  event: string;
  timestamp: number;
  signatureOk: boolean;
  body: Record<string, unknown>;
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 that checks each request's signature as a customer would
 * (HMAC-SHA256 over `timestamp.body`, compared in constant time) and answers `answer(n)` for the
 * n-th request of a delivery id (1-based; 200 unless told otherwise), after `delayMs`. With
 * `hold`, it answers nothing (a receiver that hangs) until `release()`; `open` counts the
 * requests it has not answered yet (the sender may have given up on them), `maxOpen` the most
 * at once.
 */
export async function startReceiver(
  opts: {
    answer?: (n: number, id: string, body: Record<string, unknown>) => number;
    delayMs?: number;
    hold?: boolean;
  } = {},
) {
  const got: Received[] = [];
  let secret = '';
  const seen = new Map<string, number>();
  let holding = opts.hold ?? false;
  const held: (() => void)[] = [];
  const count = { open: 0, maxOpen: 0 };
  const server: Server = createServer((req, res) => {
    count.open++;
    count.maxOpen = Math.max(count.maxOpen, count.open);
    res.on('close', () => count.open--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['funnelhouse-delivery'] ?? '');
      const timestamp = Number(req.headers['funnelhouse-timestamp']);
      const sig = String(req.headers['funnelhouse-signature'] ?? '');
      const want = `v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
      const signatureOk = sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want));
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const body = JSON.parse(raw) as Record<string, unknown>;
      const status = opts.answer?.(n, id, body) ?? 200;
      got.push({
        id,
        event: String(req.headers['funnelhouse-event'] ?? ''),
        timestamp,
        signatureOk,
        body,
        status,
      });
      const answer = () => setTimeout(() => res.writeHead(status).end(), opts.delayMs ?? 0);
      if (holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    /** Requests not answered yet, and the most at once. */
    get open() {
      return count.open;
    },
    get maxOpen() {
      return count.maxOpen;
    },
    /** Answers the held requests, and every later one at once. */
    release() {
      holding = false;
      for (const a of held.splice(0)) a();
    },
    setSecret(s: string) {
      secret = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
