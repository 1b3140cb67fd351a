import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const none = [
  ['tracker.ts', 'if (auto) captureForms();', ''],
  ['tracker.ts', "on(document, 'click', (e) => onClick(e, auto));", ''],
  ['tracker.ts', "if (cmd === 'variant') return variant(a, b, c, d);", ''],
  ['tracker.ts', 'capturePages(flag(o.hash), applyVariants);', ''],
  ['tracker.ts', 'if (COMMERCE.includes(cmd)) commerce(cmd as CommerceType, a);', ''],
];
const edits = {
  core: none,
  coreNoQueueStore: [
    ...none,
    ['queue.ts', '  keep([ev]);\n', ''],
    ['queue.ts', 'keep([], batch);\n      fails', 'fails'],
  ],
  coreNoSession: [...none, ['capture/event.ts', 'const s = visitor();', 'const s = {} as Visitor;']],
  coreNoDispatch: [...none, ['tracker.ts', 'const fh = safe(run) as Fh;', 'const fh = safe(()=>{}) as Fh;']],
};
for (const [name, list] of Object.entries(edits)) {
  rmSync('/tmp/sdkm', { recursive: true, force: true });
  cpSync('src', '/tmp/sdkm/src', { recursive: true });
  for (const [f, a, b] of list) {
    const p = '/tmp/sdkm/src/' + f;
    const s = readFileSync(p, 'utf8');
    if (!s.includes(a)) throw new Error(name + ' ' + a);
    writeFileSync(p, s.replace(a, b));
  }
  const r = await build({
    entryPoints: ['/tmp/sdkm/src/index.ts'],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    nodePaths: [process.cwd() + '/node_modules'],
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const out = r.outputFiles[0].contents;
  console.log(name.padEnd(16), out.length, gzipSync(out, { level: 9 }).length);
  if (name === 'core') console.log(new TextDecoder().decode(out));
}
