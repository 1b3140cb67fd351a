/**
 * Dashboard weight: builds the dashboard and prints the gzipped JS and CSS its first load fetches
 * (what index.html names), against the 60 KB budget that test/e2e/dashboard.spec.ts holds it to
 * in Chromium; and, apart, the API reference's Swagger UI, which only /api/docs loads.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
// @ts-expect-error build.mjs is plain JavaScript without types.
import { buildDashboard } from '../../dashboard/build.mjs';

const DIST = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
const BUDGET = 60 * 1024;

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchDashboard(): Promise<void> {
  const started = performance.now();
  await buildDashboard();
  const buildMs = performance.now() - started;
  const html = readFileSync(`${DIST}index.html`, 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
  const sizes = assets.map((a) => ({ a, bytes: gz(`${DIST}assets/${a}`) }));
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  const swagger = dirname(
    createRequire(`${DIST}../../server/package.json`).resolve('swagger-ui-dist/package.json'),
  );
  const docs = gz(`${swagger}/swagger-ui-bundle.js`) + gz(`${swagger}/swagger-ui.css`);
  console.log('\ndashboard first load (gzip -9)');
  for (const s of sizes) console.log(`  ${s.a.padEnd(28)} ${kb(s.bytes).padStart(9)}`);
  console.log(
    `  ${'total'.padEnd(28)} ${kb(total).padStart(9)}   budget ${kb(BUDGET)} (${((100 * total) / BUDGET).toFixed(0)} %)`,
  );
  console.log(
    `  build ${buildMs.toFixed(0)} ms; API reference (/api/docs only, not in the first load) ${kb(docs)}`,
  );
}
