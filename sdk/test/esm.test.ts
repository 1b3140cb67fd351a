import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.ts';
// @ts-expect-error build.mjs is plain JavaScript without types
import { esmOptions } from '../build.mjs';
import { assignVariant } from '../src/assign.ts';

describe('@funnelhouse/sdk (ESM build)', () => {
  it('exports init and assignVariant, loads without a DOM, and ships no zod', async () => {
    const out = await build({ ...esmOptions, write: false });
    const code = out.outputFiles?.[0]?.text ?? '';
    expect(code).not.toMatch(/zod|ZodError/);
    const dir = tempDir();
    try {
      const file = `${dir.path}/index.mjs`;
      writeFileSync(file, code);
      const mod = (await import(pathToFileURL(file).href)) as {
        init: unknown;
        assignVariant: typeof assignVariant;
      };
      expect(typeof mod.init).toBe('function');
      expect(mod.assignVariant('v-1', 'cta-color', ['green', 'red'])).toBe(
        assignVariant('v-1', 'cta-color', ['green', 'red']),
      );
    } finally {
      dir.remove();
    }
  });
});
