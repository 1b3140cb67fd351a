import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error build.mjs is plain JavaScript without types
import { snippetOptions } from '../build.mjs';

/** The snippet's budget (issue 3): gzipped with everything in it. */
const BUDGET_BYTES = 2048;

/** f.js exactly as `pnpm --filter @funnelhouse/sdk build` writes it, built in memory. */
async function snippet(): Promise<Buffer> {
  const out = await build({ ...snippetOptions, write: false });
  return Buffer.from(out.outputFiles?.[0]?.contents ?? []);
}

describe('f.js', () => {
  it(`is at most ${BUDGET_BYTES} bytes gzipped`, async () => {
    const js = await snippet();
    const gz = gzipSync(js, { level: 9 }).length;
    console.log(`f.js: ${js.length} bytes, ${gz} bytes gzipped (budget ${BUDGET_BYTES})`);
    expect(gz).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('ships no eval, no zod and defines one global', async () => {
    const js = (await snippet()).toString('utf8');
    expect(js).not.toMatch(/\beval\(|new Function\(/);
    expect(js).not.toMatch(/zod|ZodError/);
    // One IIFE inside try/catch: nothing declared at the top level, nothing thrown into the page.
    expect(js).toMatch(/^try\{\s*\(\(\)=>\{/);
    expect(js).toMatch(/\}\)\(\);\s*\}catch\{\}\s*$/);
  });

  it('is the f.js the README quotes: size, gzipped size and integrity hash', async () => {
    const js = await snippet();
    const gz = gzipSync(js, { level: 9 }).length;
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const n = (x: number) => x.toLocaleString('en-US');
    expect(readme).toContain(`**${n(gz)} bytes gzipped**`);
    expect(readme).toContain(`${n(js.length)} bytes minified`);
    expect(readme).toContain(`prints "f.js: ${js.length} bytes, ${gz} bytes gzipped`);
    expect(readme).toContain(`sha384-${createHash('sha384').update(js).digest('base64')}`);
  });
});
