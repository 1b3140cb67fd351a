import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './deliver.ts';

/** A real receiver on 127.0.0.1 that records each request's Host header and answers `status`. */
let server: Server;
let port = 0;
const got: { host: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
let status = 200;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ host: req.headers.host, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const base = { headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 5000 };

/** A resolver that answers `answers[n]` on its n-th call and counts its calls. */
function resolver(...answers: string[][]) {
  const calls: string[] = [];
  return {
    calls,
    resolve: async (host: string): Promise<LookupAddress[]> => {
      calls.push(host);
      const a = answers[Math.min(calls.length - 1, answers.length - 1)] ?? [];
      return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

describe('postWebhook', () => {
  it('refuses a name when any of its addresses is in a refused range, and sends nothing', async () => {
    const before = got.length;
    const teredo = ['2001:0:4136:e378:8000:63bf:80ff:fffe']; // a tunnel to 127.0.0.1
    for (const answer of [
      ['127.0.0.1'],
      ['1.1.1.1', '10.0.0.7'],
      ['::ffff:127.0.0.1'],
      ['fe80::1'],
      teredo,
    ]) {
      const r = resolver(answer);
      const res = await postWebhook(`http://hooks.test:${port}/x`, {
        ...base,
        allowPrivate: false,
        resolve: r.resolve,
      });
      expect(res.status_code).toBeNull();
      expect(res.error).toMatch(/^refused_address: hooks\.test resolves to a /);
      expect(r.calls).toEqual(['hooks.test']);
    }
    expect(got.length).toBe(before);
  });

  it('connects to the addresses it checked: the name is resolved once, never again at connect', async () => {
    // The second answer (a rebinding) would point elsewhere; it is never asked for.
    const r = resolver(['127.0.0.1'], ['203.0.113.9']);
    const before = got.length;
    const res = await postWebhook(`http://rebind.test:${port}/hook?q=1`, {
      ...base,
      allowPrivate: true,
      resolve: r.resolve,
    });
    expect(res).toEqual({ status_code: 200, error: null });
    expect(r.calls).toEqual(['rebind.test']);
    expect(got.length).toBe(before + 1);
    expect(got.at(-1)?.host).toBe(`rebind.test:${port}`);
    expect(got.at(-1)?.body).toBe('{"a":1}');
    expect(got.at(-1)?.headers['content-length']).toBe('7');
  });

  it('refuses literal private hosts and bad URLs before any connection', async () => {
    const before = got.length;
    for (const url of [`http://127.0.0.1:${port}/x`, `http://[::ffff:127.0.0.1]:${port}/x`]) {
      const res = await postWebhook(url, { ...base, allowPrivate: false });
      expect(res.error).toMatch(/^refused_address: /);
    }
    const creds = await postWebhook(`http://u:p@127.0.0.1:${port}/x`, { ...base, allowPrivate: true });
    expect(creds.error).toMatch(/^invalid_url: /);
    expect(got.length).toBe(before);
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    status = 302;
    const before = got.length;
    const res = await postWebhook(`http://127.0.0.1:${port}/x`, { ...base, allowPrivate: true });
    status = 200;
    expect(res).toEqual({ status_code: 302, error: null });
    expect(got.length).toBe(before + 1);
  });

  it('reports a resolver that never answers as a timeout', async () => {
    const res = await postWebhook('http://slow.test/x', {
      ...base,
      timeoutMs: 100,
      allowPrivate: false,
      resolve: () => new Promise(() => {}),
    });
    expect(res).toEqual({ status_code: null, error: 'timeout' });
  });
});

describe('postWebhook failures', () => {
  it('names every address that refused the connection', async () => {
    // Port 1 on both loopbacks: nobody listens, both are tried (happy eyeballs), both refuse.
    const r = resolver(['127.0.0.1', '::1']);
    const res = await postWebhook('http://two.test:1/x', { ...base, allowPrivate: true, resolve: r.resolve });
    expect(res.status_code).toBeNull();
    expect(res.error).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
  });
});
