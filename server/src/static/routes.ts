import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SNIPPET_PATH = `${ROOT}sdk/dist/f.js`;
export const DASHBOARD_DIST = `${ROOT}dashboard/dist/`;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Funnelhouse</title>
<p>The dashboard is not built: run <code>pnpm --filter @funnelhouse/dashboard build</code> (npm start does),
then restart the server.</p>`;

const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The built dashboard's assets by file name (content-hashed, so cached for good). */
function loadDashboardAssets(): Map<string, Asset & { type: string }> {
  const assets = new Map<string, Asset & { type: string }>();
  const dir = `${DASHBOARD_DIST}assets/`;
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = ASSET_TYPES[name.split('.').pop() ?? ''];
    const asset = type ? loadAsset(`${dir}${name}`) : undefined;
    if (type && asset) assets.set(name, { ...asset, type });
  }
  return assets;
}

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

/** The snippet (`/f.js`) and the dashboard (`/`, `/assets/*`). Read once at start; rebuilds need a restart. */
export function staticRoutes(): Hono {
  const app = new Hono();
  const snippet = loadAsset(SNIPPET_PATH);
  const dashboard = loadAsset(`${DASHBOARD_DIST}index.html`);
  const assets = loadDashboardAssets();

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
  app.get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return dashboard ? c.html(dashboard.body) : c.html(NOT_BUILT, 503);
  });
  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.text('not found', 404);
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', asset.etag);
    return c.body(asset.body);
  });
  return app;
}
