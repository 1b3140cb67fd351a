import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postServerEvents, ServerEventsError } from './server-events.ts';

let server: Server | undefined;
afterEach(() => server?.close());

/** A local HTTP server answering with `answers` in turn (the last one repeats). */
async function serve(answers: [number, unknown][]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      const [status, json] = answers[Math.min(bodies.length, answers.length) - 1] ?? [500, {}];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  server = srv;
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, bodies };
}

const ok = { accepted: 1, duplicates: 0, rejected: 0, results: [{ index: 0, id: 'a', status: 'stored' }] };
const fast = { backoffMs: () => 1 };

describe('postServerEvents', () => {
  it('retries 503 and network-level failures with the same body, then returns the results', async () => {
    const s = await serve([
      [503, { error: { code: 'store_unavailable', message: 'later' } }],
      [503, { error: { code: 'store_unavailable', message: 'later' } }],
      [200, ok],
    ]);
    const res = await postServerEvents(s.url, 'site', 'key', [{ id: 'a' }, '{"id":"b"}'], fast);
    expect(res).toEqual(ok);
    expect(s.bodies).toHaveLength(3);
    expect(new Set(s.bodies).size).toBe(1);
    expect(JSON.parse(s.bodies[0] ?? '')).toEqual({ source: 'server', events: [{ id: 'a' }, { id: 'b' }] });
  });

  it('does not retry a refusal a retry cannot fix', async () => {
    const s = await serve([[401, { error: { code: 'unauthorized', message: 'Invalid key' } }]]);
    const err = await postServerEvents(s.url, 'site', 'key', [{ id: 'a' }], fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerEventsError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(s.bodies).toHaveLength(1);
  });

  it('gives up after the last attempt', async () => {
    const s = await serve([[503, { error: { code: 'store_unavailable', message: 'later' } }]]);
    const err = await postServerEvents(s.url, 'site', 'key', [{ id: 'a' }], { ...fast, attempts: 3 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 503 });
    expect(s.bodies).toHaveLength(3);
  });
});
