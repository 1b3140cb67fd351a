import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const edits = {
  full: [],
  noForms: [['tracker.ts', 'if (auto) captureForms();', '']],
  noClicks: [['tracker.ts', "on(document, 'click', (e) => onClick(e, auto));", '']],
  noVariants: [
    ['tracker.ts', "if (cmd === 'variant') return variant(a, b, c, d);", ''],
    ['tracker.ts', 'capturePages(flag(o.hash), applyVariants)', 'capturePages(flag(o.hash), ()=>{})'],
  ],
  noNoCode: [
    ['tracker.ts', 'capturePages(flag(o.hash), applyVariants)', 'capturePages(flag(o.hash), ()=>{})'],
  ],
  noPages: [['tracker.ts', 'capturePages(flag(o.hash), applyVariants);', '']],
  noCommerce: [['tracker.ts', 'if (COMMERCE.includes(cmd)) commerce(cmd as CommerceType, a);', '']],
  noReplacer: [
    [
      'queue.ts',
      "(k, v) =>\n    typeof v === 'string' ? v.slice(0, /^(url|referrer|href)$/.test(k) ? 2048 : 500) : v,",
      '',
    ],
  ],
  noBeacon: [['queue.ts', "on(window, 'pagehide', leave);", '']],
  noDnt: [['capture/event.ts', "|| (respectDnt && (n.doNotTrack === '1' || n.globalPrivacyControl))", '']],
  noClickIds: [['identity.ts', 'click_id: CLICK_IDS.find((k) => p.has(k))', '']],
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
  console.log(name.padEnd(12), out.length, gzipSync(out, { level: 9 }).length);
}
