import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SNIPPET_PATH = `${ROOT}sdk/dist/f.js`;
const DASHBOARD_PATH = `${ROOT}dashboard/index.html`;

export interface Asset {
  body: string;
  etag: string;
  /** Subresource-integrity value for a `<script integrity=…>` attribute. */
  integrity: string;
}

export function loadAsset(path: string): Asset | undefined {
  if (!existsSync(path)) return undefined;
  const body = readFileSync(path, 'utf8');
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
  };
}

/** The snippet (`/f.js`) and the dashboard page. Read once at start; rebuilds need a restart. */
export function staticRoutes(): Hono {
  const app = new Hono();
  const snippet = loadAsset(SNIPPET_PATH);
  const dashboard = loadAsset(DASHBOARD_PATH);

  app.get('/f.js', (c) => {
    if (!snippet) return c.text('// snippet not built: run `pnpm --filter @funnelhouse/sdk build`', 503);
    if (c.req.header('if-none-match') === snippet.etag) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
    c.header('ETag', snippet.etag);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return c.body(snippet.body);
  });
  app.get('/', (c) => (dashboard ? c.html(dashboard.body) : c.text('dashboard not found', 404)));
  return app;
}
