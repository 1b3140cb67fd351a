// Builds the snippet two ways from src/: dist/f.js (minified IIFE for a <script> tag) and
// dist/index.js (ESM for bundlers; `tsc -p tsconfig.build.json` then writes its types to dist/types).
// The tests build both in memory with the same options.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { precompress } from '../scripts/precompress.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));

const common = {
  absWorkingDir: dir,
  bundle: true,
  target: 'es2021',
  legalComments: 'none',
  logLevel: 'warning',
  // Modules are strict already; without this, esbuild repeats "use strict" at the top of f.js.
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
};

/** esbuild options of dist/f.js. */
export const snippetOptions = {
  ...common,
  entryPoints: ['src/index.ts'],
  outfile: 'dist/f.js',
  minify: true,
  format: 'iife',
  // Not even an exception while the script starts may reach the page.
  banner: { js: 'try{' },
  footer: { js: '}catch{}' },
};

/** esbuild options of dist/index.js, the ESM package for bundlers. */
export const esmOptions = { ...common, entryPoints: ['src/esm.ts'], outfile: 'dist/index.js', format: 'esm' };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all([build(snippetOptions), build(esmOptions)]);
  // The copies the server sends to browsers that accept brotli or gzip: the bytes on the wire.
  precompress([`${dir}dist/f.js`]);
}
