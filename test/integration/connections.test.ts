import { connect, type Socket } from 'node:net';
import { createLogger } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from '../helpers/metrics.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The test's own requests come from 127.0.0.1, a trusted proxy (exempt from the per-address cap);
// the slow clients connect from 127.0.0.2 and 127.0.0.3, other loopback addresses.
const PER_ADDRESS = 20;
let s: TestServer;
const logLines: { level: string; msg: string }[] = [];

beforeAll(async () => {
  s = await startTestServer(
    {
      FUNNELHOUSE_TRUST_PROXY: '127.0.0.1',
      FUNNELHOUSE_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
      FUNNELHOUSE_HEADERS_TIMEOUT_MS: '1000',
      FUNNELHOUSE_REQUEST_TIMEOUT_MS: '2000',
    },
    undefined,
    createLogger('debug', (line) => logLines.push(JSON.parse(line) as { level: string; msg: string })),
  );
});
afterAll(() => s.destroy());

interface Outcome {
  /** What the server sent before closing ('' when it closed without a byte). */
  received: string;
}

/** Opens a connection from `from`, writes `text`, and resolves when the server closes it. */
function trickle(from: string, text: string): { socket: Socket; closed: Promise<Outcome> } {
  const url = new URL(s.url);
  const socket = connect({ host: url.hostname, port: Number(url.port), localAddress: from });
  let received = '';
  socket.on('data', (b: Buffer) => {
    received += b.toString('latin1');
  });
  socket.on('connect', () => socket.write(text));
  const closed = new Promise<Outcome>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ received }));
  });
  return { socket, closed };
}

const statusOf = (o: Outcome) => /^HTTP\/1\.1 (\d{3})/.exec(o.received)?.[1] ?? 'none';

describe('slow and numerous connections', () => {
  it('caps connections per address and cuts headers that never finish', async () => {
    const refusedBefore = await metricValue(
      s,
      'funnelhouse_connections_refused_total',
      'reason="per_address"',
    );
    const slow = Array.from({ length: 3 * PER_ADDRESS }, () =>
      trickle('127.0.0.2', 'POST /collect HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    );
    // While they hang, a client from another address is served normally.
    const other = trickle('127.0.0.3', 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusOf(await other.closed)).toBe('200');

    const outcomes = await Promise.all(slow.map((c) => c.closed));
    const byStatus = outcomes.reduce<Record<string, number>>((m, o) => {
      m[statusOf(o)] = (m[statusOf(o)] ?? 0) + 1;
      return m;
    }, {});
    // Over the cap: closed on arrival, before a byte is read. Within it: 408 at the headers timeout.
    expect(byStatus).toEqual({ none: 2 * PER_ADDRESS, '408': PER_ADDRESS });
    expect(
      (await metricValue(s, 'funnelhouse_connections_refused_total', 'reason="per_address"')) - refusedBefore,
    ).toBe(2 * PER_ADDRESS);
  });

  it('cuts a body that stops arriving', async () => {
    const c = trickle(
      '127.0.0.4',
      'POST /collect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{"site":',
    );
    expect(statusOf(await c.closed)).toBe('408');
  });

  it('counts a client that goes away mid-upload, without an error log or an internal_error', async () => {
    const before = await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/collect"');
    for (let i = 0; i < 3; i++) {
      const c = trickle(
        '127.0.0.5',
        'POST /collect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{"site":',
      );
      // Wait until the server has started reading the body, then hang up.
      await new Promise((r) => setTimeout(r, 100));
      c.socket.destroy();
      await c.closed;
    }
    // The abort is handled after the socket closes: wait for the count, bounded by the test timeout.
    while ((await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/collect"')) - before < 3)
      await new Promise((r) => setTimeout(r, 50));
    expect(await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/collect"')).toBe(before + 3);
    expect(await metricValue(s, 'funnelhouse_requests_rejected_total', 'code="internal_error"')).toBe(0);
    expect(logLines.filter((l) => l.level === 'error')).toEqual([]);
    expect(logLines.filter((l) => l.msg === 'client closed the request').length).toBeGreaterThanOrEqual(3);
  });
});
