import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Hono } from 'hono';
import { EncodedFile } from '../static/encoded.ts';
import { buildOpenApi } from './openapi/document.ts';

const read = (name: string) => readFileSync(new URL(`./docs/${name}`, import.meta.url), 'utf8');
/** swagger-ui-dist: Swagger UI's prebuilt bundle (Apache-2.0), served from here, never a CDN. */
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const JS = 'text/javascript; charset=utf-8';

/**
 * `GET /api/v1/openapi.json` and the interactive reference at `/api/docs` (Swagger UI; its
 * scripts are same-origin files, so the CSP's `script-src 'self'` holds). `favicon`: the path of
 * the dashboard's icon, which the page links.
 */
export function docsRoutes(options: { favicon?: string } = {}): Hono {
  const app = new Hono();
  const doc = new EncodedFile(JSON.stringify(buildOpenApi()), 'application/json');
  const files: Record<string, EncodedFile> = {
    'init.js': new EncodedFile(read('init.js'), JS),
    'swagger-ui-bundle.js': new EncodedFile(readFileSync(`${SWAGGER_DIR}/swagger-ui-bundle.js`), JS),
    'swagger-ui.css': new EncodedFile(
      readFileSync(`${SWAGGER_DIR}/swagger-ui.css`),
      'text/css; charset=utf-8',
    ),
  };
  const icon = options.favicon ? `<link rel="icon" type="image/svg+xml" href="${options.favicon}">` : '';
  const html = new EncodedFile(read('index.html').replace('<!-- icon -->', icon), 'text/html; charset=UTF-8');
  app.get('/api/v1/openapi.json', (c) => doc.respond(c, 'no-cache'));
  app.get('/api/docs', (c) => html.respond(c, 'no-cache'));
  app.get('/api/docs/:file', (c) => {
    const f = files[c.req.param('file')];
    return f ? f.respond(c, 'public, max-age=3600') : c.text('not found', 404);
  });
  return app;
}
