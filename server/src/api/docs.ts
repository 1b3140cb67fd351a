import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { buildOpenApi } from './openapi.ts';

const read = (name: string) => readFileSync(new URL(`./docs/${name}`, import.meta.url), 'utf8');

/** `GET /api/v1/openapi.json` and the readable docs at `/api/docs` (static, same-origin script only). */
export function docsRoutes(): Hono {
  const app = new Hono();
  const doc = buildOpenApi();
  const html = read('index.html');
  const script = read('docs.js');
  app.get('/api/v1/openapi.json', (c) => c.json(doc));
  app.get('/api/docs', (c) => c.html(html));
  app.get('/api/docs/docs.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(script);
  });
  return app;
}
