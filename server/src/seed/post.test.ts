import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTraffic } from './generate.ts';
import { postTraffic, SEND_ATTEMPTS } from './post.ts';

/** A receiver that cuts the connection of its first `cuts` requests, then answers 202. */
async function flakyReceiver(cuts: number) {
  let seen = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen++;
      if (seen <= cuts) {
        req.socket.destroy();
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: 1, dropped: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const one = generateTraffic({ seed: 1, visitors: 1, now: Date.UTC(2026, 11, 1), hours: 1 }).visitors;
let close: (() => Promise<unknown>) | undefined;
afterEach(() => close?.());

describe('postTraffic', () => {
  it('sends a batch again when the network loses it, and counts it once', async () => {
    const r = await flakyReceiver(SEND_ATTEMPTS - 1);
    close = r.close;
    const result = await postTraffic(one, { url: r.url, siteKey: 'demo', concurrency: 1 });
    expect(result.failures).toEqual([]);
    expect(r.requests()).toBe(result.requests + SEND_ATTEMPTS - 1);
    expect(result.accepted).toBe(result.requests);
  });

  it(`gives up after ${SEND_ATTEMPTS} lost sends of one batch`, async () => {
    const r = await flakyReceiver(SEND_ATTEMPTS);
    close = r.close;
    await expect(postTraffic(one, { url: r.url, siteKey: 'demo', concurrency: 1 })).rejects.toThrow(
      TypeError,
    );
    expect(r.requests()).toBe(SEND_ATTEMPTS);
  });
});
