import { request as httpRequest } from 'node:http';
import { ADMIN_KEY } from './server.ts';

/** Calls the API with a bearer key; JSON bodies are encoded. */
export function api(
  s: { url: string },
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<Response> {
  return fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Same, with the admin key. */
export const admin = (s: { url: string }, method: string, path: string, body?: unknown) =>
  api(s, method, path, ADMIN_KEY, body);

/** Status and body of an answer, the request id blanked so that two answers can be compared. */
export async function shape(res: Response): Promise<{ status: number; body: unknown }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compare the text
  }
  const err = (body as { error?: { requestId?: string } } | null)?.error;
  if (err && typeof err === 'object') err.requestId = '';
  return { status: res.status, body };
}

/**
 * A GET sent with the path exactly as written: `fetch` would resolve `..` and re-encode the
 * path, which is what a smuggling attempt must not be helped by.
 */
export function rawGet(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method: 'GET', path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
