/**
 * Transport: how a batch leaves the page. Bodies are strings, so they go as `text/plain`, a CORS
 * "simple" request: no preflight, one round trip per batch.
 */

/**
 * Posts `body` with `fetch`; resolves to [HTTP status (0 = network failure), `Retry-After` in
 * ms]. `keepalive` lets the request outlive the page, but browsers cap keepalive bodies at
 * 64 KiB in total, so larger bodies go without it.
 */
export const post = (url: string, body: string): Promise<[status: number, retryMs: number]> =>
  fetch(url, { method: 'POST', body, keepalive: body.length < 6e4 }).then(
    (r) => [r.status, (r.headers.get('retry-after') as unknown as number) * 1e3 || 0],
    () => [0, 0],
  );

/**
 * Hands `body` to the browser, which delivers it even after the page is gone; false when it
 * refused (too large, over quota).
 */
export const beacon = (url: string, body: string): boolean => navigator.sendBeacon(url, body);
