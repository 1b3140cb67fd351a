import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { EncodedFile } from './encoded.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SNIPPET_PATH = `${ROOT}sdk/dist/f.js`;
export const DASHBOARD_DIST = `${ROOT}dashboard/dist/`;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Funnelhouse</title>
<p>The dashboard is not built: run <code>pnpm --filter @funnelhouse/dashboard build</code> (npm start does),
then restart the server.</p>`;

const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The dashboard build's icon (`favicon-HASH.svg` under `dist/assets/`). */
const FAVICON = /^favicon-[0-9A-F]+\.svg$/;

/**
 * The path of the built favicon (`/assets/favicon-HASH.svg`), for pages other than the
 * dashboard's to link (the API reference); undefined when the dashboard is not built.
 */
export function faviconPath(): string | undefined {
  const dir = `${DASHBOARD_DIST}assets/`;
  const name = existsSync(dir) ? readdirSync(dir).find((f) => FAVICON.test(f)) : undefined;
  return name ? `/assets/${name}` : undefined;
}

/** Hashed names, so a copy never goes stale: a browser keeps it for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The built dashboard's assets by file name (content-hashed, so cached for good). */
function loadDashboardAssets(): Map<string, EncodedFile> {
  const assets = new Map<string, EncodedFile>();
  const dir = `${DASHBOARD_DIST}assets/`;
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = ASSET_TYPES[name.split('.').pop() ?? ''];
    const asset = type ? EncodedFile.read(`${dir}${name}`, type) : undefined;
    if (asset) assets.set(name, asset);
  }
  return assets;
}

/** Subresource-integrity value of the built snippet, for a `<script integrity=…>` attribute. */
export function snippetIntegrity(): string | undefined {
  if (!existsSync(SNIPPET_PATH)) return undefined;
  return `sha384-${createHash('sha384').update(readFileSync(SNIPPET_PATH)).digest('base64')}`;
}

/**
 * The snippet (`/f.js`), the dashboard (`/`, `/assets/*`) and its icon (`/favicon.ico`), each in the coding the browser asks
 * for (brotli or gzip copies written by the builds). Read once at start; rebuilds need a restart.
 */
export function staticRoutes(): Hono {
  const app = new Hono();
  const snippet = EncodedFile.read(SNIPPET_PATH, 'text/javascript; charset=utf-8');
  const dashboard = EncodedFile.read(`${DASHBOARD_DIST}index.html`, 'text/html; charset=UTF-8');
  const assets = loadDashboardAssets();

  app.get('/f.js', (c) => {
    if (!snippet) return c.text('// snippet not built: run `pnpm --filter @funnelhouse/sdk build`', 503);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return snippet.respond(c, 'public, max-age=3600, stale-while-revalidate=86400');
  });
  app.get('/', (c) => (dashboard ? dashboard.respond(c, 'no-cache') : c.html(NOT_BUILT, 503)));
  // Browsers ask for /favicon.ico on pages that link no icon (and some whatever a page links):
  // the same SVG, cached for a day as its name carries no hash.
  const favicon = [...assets].find(([name]) => FAVICON.test(name))?.[1];
  app.get('/favicon.ico', (c) => (favicon ? favicon.respond(c, 'public, max-age=86400') : c.body(null, 404)));
  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    return asset ? asset.respond(c, IMMUTABLE) : c.text('not found', 404);
  });
  return app;
}
