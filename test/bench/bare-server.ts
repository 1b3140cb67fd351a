/**
 * The ingest benchmark's baseline: a bare Hono endpoint on Node that reads and parses the same
 * `/collect` body and answers 202, nothing else (no validation, enrichment, spool or store). It
 * is the ceiling the real server is measured against on the same machine, in the same run.
 * Prints `{"msg":"listening","port":N}` like the real server.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/collect', async (c) => {
  const body = JSON.parse(await c.req.text()) as { events: unknown[] };
  return c.json({ accepted: body.events.length }, 202);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', port: info.port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
