import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Hono } from 'hono';
import { buildOpenApi } from './openapi.ts';

const read = (name: string) => readFileSync(new URL(`./docs/${name}`, import.meta.url), 'utf8');
/** swagger-ui-dist: Swagger UI's prebuilt bundle (Apache-2.0), served from here, never a CDN. */
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const JS = 'text/javascript; charset=utf-8';

/**
 * `GET /api/v1/openapi.json` and the interactive reference at `/api/docs` (Swagger UI; its
 * scripts are same-origin files, so the CSP's `script-src 'self'` holds).
 */
export function docsRoutes(): Hono {
  const app = new Hono();
  const doc = buildOpenApi();
  const files: Record<string, { type: string; body: string }> = {
    'init.js': { type: JS, body: read('init.js') },
    'swagger-ui-bundle.js': { type: JS, body: readFileSync(`${SWAGGER_DIR}/swagger-ui-bundle.js`, 'utf8') },
    'swagger-ui.css': {
      type: 'text/css; charset=utf-8',
      body: readFileSync(`${SWAGGER_DIR}/swagger-ui.css`, 'utf8'),
    },
  };
  const html = read('index.html');
  app.get('/api/v1/openapi.json', (c) => c.json(doc));
  app.get('/api/docs', (c) => c.html(html));
  app.get('/api/docs/:file', (c) => {
    const f = files[c.req.param('file')];
    if (!f) return c.text('not found', 404);
    c.header('Content-Type', f.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(f.body);
  });
  return app;
}
