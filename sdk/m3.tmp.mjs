import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { snippetOptions } from './build.mjs';

const edits = JSON.parse(readFileSync('/tmp/edits.json', 'utf8'));
for (const [name, list] of Object.entries(edits)) {
  rmSync('/tmp/sdkm', { recursive: true, force: true });
  cpSync('.', '/tmp/sdkm', {
    recursive: true,
    filter: (p) => !p.includes('node_modules') || p.endsWith('node_modules'),
  });
  for (const [f, a, b] of list) {
    const p = '/tmp/sdkm/src/' + f;
    const s = readFileSync(p, 'utf8');
    if (!s.includes(a)) throw new Error(name + ' ' + a);
    writeFileSync(p, s.replace(a, b));
  }
  const r = await build({
    ...snippetOptions,
    absWorkingDir: '/tmp/sdkm',
    nodePaths: [process.cwd() + '/node_modules'],
    write: false,
  });
  const out = r.outputFiles[0].contents;
  console.log(name.padEnd(14), out.length, gzipSync(out, { level: 9 }).length);
}
