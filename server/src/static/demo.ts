import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { EncodedFile } from './encoded.ts';

const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The demo shop at `/demo/`: static pages instrumented only with the public snippet
 * (`<script defer src="/f.js" data-site="demo">`). The files are read once at start, and only
 * those names are served, so a request path can never reach outside the folder.
 */
export function demoRoutes(): Hono {
  const files = new Map<string, EncodedFile>();
  for (const name of readdirSync(DEMO_DIR)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, new EncodedFile(readFileSync(`${DEMO_DIR}${name}`), type));
  }
  const app = new Hono();
  app.get('/demo', (c) => c.redirect('/demo/', 301));
  app.get('/demo/:file{.*}', (c, next) => {
    const file = files.get(c.req.param('file') || 'index.html');
    return file ? file.respond(c, 'no-cache') : next();
  });
  return app;
}
