// Builds the dashboard into dist/: dist/assets/ (content-hashed JS and CSS: the entry, the chunks
// it imports, and one chunk per view fetched when first opened) and dist/index.html, which names
// the first load's files (the entry, `modulepreload` for its chunks, the stylesheet, the icon). No inline script or style, so the app's CSP
// (`script-src 'self'`) needs no hash or nonce. `pnpm --filter @funnelhouse/dashboard build`.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { precompress } from '../scripts/precompress.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));

/** esbuild options of the dashboard bundle. */
export const dashboardOptions = {
  absWorkingDir: dir,
  entryPoints: ['src/main.tsx'],
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  // Views other than the overview are `import()`ed (src/lazy.tsx): their code is not in the first load.
  splitting: true,
  minify: true,
  format: 'esm',
  target: 'es2021',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/** Builds dist/ and returns the asset names (relative to dist/assets) the first load fetches. */
export async function buildDashboard() {
  rmSync(`${dir}dist`, { recursive: true, force: true });
  mkdirSync(`${dir}dist/assets`, { recursive: true });
  const result = await build(dashboardOptions);
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === 'src/main.tsx');
  if (!entry?.[1].cssBundle) throw new Error('dashboard build: no entry bundle with a stylesheet');
  const js = basename(entry[0]);
  const css = basename(entry[1].cssBundle);
  const chunks = staticChunks(result.metafile, entry[0]).map((p) => basename(p));
  const icon = copyFavicon();
  writeFileSync(`${dir}dist/index.html`, page(js, chunks, css, icon));
  // The copies the server sends to browsers that accept brotli or gzip: the bytes on the wire.
  precompress([
    `${dir}dist/index.html`,
    ...outputs.filter(([p]) => !p.endsWith('.map')).map(([p]) => `${dir}${p}`),
    `${dir}dist/assets/${icon}`,
  ]);
  return { js, chunks, css, icon };
}

/** The chunks `file` imports statically, and theirs: what the browser fetches with it. */
function staticChunks(metafile, file, seen = new Set()) {
  for (const i of metafile.outputs[file]?.imports ?? []) {
    if (i.kind !== 'import-statement' || seen.has(i.path)) continue;
    seen.add(i.path);
    staticChunks(metafile, i.path, seen);
  }
  return [...seen];
}

/**
 * Copies src/favicon.svg to dist/assets/favicon-HASH.svg: content-hashed like the bundles, so the
 * server caches it for good (it serves the same file at /favicon.ico and links it from /api/docs).
 */
function copyFavicon() {
  const source = `${dir}src/favicon.svg`;
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 8).toUpperCase();
  const name = `favicon-${hash}.svg`;
  copyFileSync(source, `${dir}dist/assets/${name}`);
  return name;
}

function page(js, chunks, css, icon) {
  const preload = chunks.map((c) => `<link rel="modulepreload" href="/assets/${c}">\n`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Funnelhouse</title>
<link rel="icon" type="image/svg+xml" href="/assets/${icon}">
<link rel="stylesheet" href="/assets/${css}">
${preload}<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"><noscript>The Funnelhouse dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDashboard();
