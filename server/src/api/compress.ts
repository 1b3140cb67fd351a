import type { MiddlewareHandler } from 'hono';
import { acceptedCodings } from '../static/encoded.ts';

/** Text answers worth compressing: JSON, CSV, NDJSON, JavaScript, HTML, CSS. */
const COMPRESSIBLE = /^(application\/(json|x-ndjson)|text\/)/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARIES_BY_CODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * gzip for answers of at least `threshold` bytes, when the client accepts it. Hono's own
 * `compress` decides the size from `Content-Length`, which `c.json` does not set, so it would
 * compress a 200-byte answer too; this one reads up to `threshold` bytes first. A body that ends
 * before that goes out as it is, with its length; a longer one (a streamed export too) is piped
 * through gzip as it streams, never held whole. Answers that carry their own coding (static
 * files, `static/encoded.ts`) are left alone.
 *
 * @example app.use('/api/*', compressAnswers(1024));
 */
export function compressAnswers(threshold: number): MiddlewareHandler {
  return async function compressAnswers(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (!res.body || c.req.method === 'HEAD' || res.headers.has('content-encoding')) return;
    if (!COMPRESSIBLE.test(type) || NO_TRANSFORM.test(res.headers.get('cache-control') ?? '')) return;
    const vary = res.headers.get('vary');
    if (!vary || !VARIES_BY_CODING.test(vary))
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (!acceptedCodings(c.req.header('accept-encoding')).includes('gzip')) return;

    const reader = res.body.getReader();
    const head: Uint8Array[] = [];
    let size = 0;
    let ended = false;
    while (size < threshold) {
      const chunk = await reader.read();
      if (chunk.done) {
        ended = true;
        break;
      }
      head.push(chunk.value);
      size += chunk.value.byteLength;
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of head) controller.enqueue(chunk);
        if (ended) controller.close();
      },
      async pull(controller) {
        const chunk = await reader.read();
        if (chunk.done) controller.close();
        else controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    if (ended) {
      c.res = new Response(body, res);
      c.res.headers.set('Content-Length', String(size));
      return;
    }
    // The DOM and Node typings of CompressionStream disagree on its chunk type; both are bytes.
    const gzip = new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
    c.res = new Response(body.pipeThrough(gzip), res);
    c.res.headers.delete('Content-Length');
    c.res.headers.set('Content-Encoding', 'gzip');
  };
}
