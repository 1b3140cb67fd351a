import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes exactly as they came over the socket (not decoded: a gzip body stays gzip). */
  body: Buffer;
}

/**
 * One HTTP request with exactly the given headers (fetch adds its own user agent and content
 * type, which hostile-input tests must control). Only Host and Content-Length are added.
 */
export function rawRequest(
  baseUrl: string,
  opts: { method: string; path: string; headers: Record<string, string>; body?: Buffer; chunked?: boolean },
): Promise<RawResponse> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method,
        path: opts.path,
        headers: {
          ...opts.headers,
          ...(opts.body && !opts.chunked ? { 'content-length': String(opts.body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    // The server may answer 413 and close before reading an oversized body: that is not an error.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? undefined : reject(err)));
    if (opts.chunked && opts.body) {
      // Transfer-Encoding: chunked, no length up front: the body limit must count as it reads.
      for (let i = 0; i < opts.body.length; i += 16_384) req.write(opts.body.subarray(i, i + 16_384));
      req.end();
    } else req.end(opts.body);
  });
}
