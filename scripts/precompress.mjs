// Writes brotli and gzip copies beside built files (`f.js.br`, `f.js.gz`), at each coding's top
// setting, for the server to send as they are to a browser that accepts them
// (server/src/static/encoded.ts reads the same suffixes). Used by the sdk and dashboard builds.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Writes `path.br` and `path.gz` for each path; returns their sizes in bytes. */
export function precompress(paths) {
  return paths.map((path) => {
    const body = readFileSync(path);
    const br = brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    const gz = gzipSync(body, { level: 9 });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gz);
    return { path, bytes: body.length, br: br.length, gzip: gz.length };
  });
}
