/**
 * Dashboard weight: builds the dashboard and prints the bytes its first load sends (the page and
 * the JS and CSS it names), as the server sends them: the build's brotli and gzip copies, which
 * go out as they are. The budget is 60 KB, held in Chromium by test/e2e/dashboard.spec.ts and over
 * a socket by test/integration/wire-bytes.test.ts; and, apart, the API reference's Swagger UI,
 * which only /api/docs loads.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
// @ts-expect-error build.mjs is plain JavaScript without types.
import { buildDashboard } from '../../dashboard/build.mjs';

const DIST = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
const BUDGET = 60 * 1024;

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
/** Size of the copy the build wrote beside `path` for a coding (`.br`, `.gz`). */
const copy = (path: string, suffix: string) => statSync(`${path}${suffix}`).size;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchDashboard(): Promise<void> {
  const started = performance.now();
  await buildDashboard();
  const buildMs = performance.now() - started;
  const html = readFileSync(`${DIST}index.html`, 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
  const files = [
    { a: 'index.html', path: `${DIST}index.html` },
    ...assets.map((a) => ({ a, path: `${DIST}assets/${a}` })),
  ];
  const sizes = files.map((f) => ({ a: f.a, bytes: copy(f.path, '.br'), gzip: copy(f.path, '.gz') }));
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  const totalGzip = sizes.reduce((n, s) => n + s.gzip, 0);
  const swagger = dirname(
    createRequire(`${DIST}../../server/package.json`).resolve('swagger-ui-dist/package.json'),
  );
  const docs = gz(`${swagger}/swagger-ui-bundle.js`) + gz(`${swagger}/swagger-ui.css`);
  console.log('\ndashboard first load, bytes on the wire         br      gzip');
  for (const s of sizes)
    console.log(`  ${s.a.padEnd(28)} ${kb(s.bytes).padStart(9)} ${kb(s.gzip).padStart(9)}`);
  console.log(
    `  ${'total'.padEnd(28)} ${kb(total).padStart(9)} ${kb(totalGzip).padStart(9)}   budget ${kb(BUDGET)} (br ${((100 * total) / BUDGET).toFixed(0)} %, gzip ${((100 * totalGzip) / BUDGET).toFixed(0)} %)`,
  );
  console.log(
    `  build ${buildMs.toFixed(0)} ms; API reference (/api/docs only, not in the first load) ${kb(docs)}`,
  );
}
