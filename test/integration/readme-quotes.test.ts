import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SNIPPET_PATH } from '../../server/src/static/routes.ts';

/**
 * Every figure the README quotes about the built snippet, checked against the build (`pnpm test`
 * builds it first): a stale `integrity` hash makes Chromium block f.js, and nothing is sent.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const js = readFileSync(SNIPPET_PATH);

/** The one number the README writes after `label` (commas allowed), or fails naming it. */
function quoted(pattern: RegExp): number {
  const m = pattern.exec(README);
  if (!m?.[1]) throw new Error(`README quotes nothing for ${pattern}`);
  return Number(m[1].replaceAll(',', ''));
}

describe('the README quotes the snippet as built', () => {
  it('its integrity value is the built f.js', () => {
    const integrity = `sha384-${createHash('sha384').update(js).digest('base64')}`;
    const tags = [...README.matchAll(/integrity="(sha384-[^"]+)"/g)].map((m) => m[1]);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toBe(integrity);
  });

  it('its sizes are the built file and the copies the server sends', () => {
    const gz = gzipSync(js, { level: 9 }).length;
    expect(quoted(/\*\*([\d,]+) bytes gzipped\*\*/)).toBe(gz);
    expect(quoted(/\*\*([\d,]+) with brotli\*\*/)).toBe(readFileSync(`${SNIPPET_PATH}.br`).length);
    expect(readFileSync(`${SNIPPET_PATH}.gz`).length).toBe(gz);
    expect(quoted(/`sdk\/dist\/f\.js`, ([\d,]+) bytes minified/)).toBe(js.length);
    expect(quoted(/prints "f\.js: (\d+) bytes/)).toBe(js.length);
    expect(quoted(/prints "f\.js: \d+ bytes, (\d+) bytes gzipped/)).toBe(gz);
    const gnu = execFileSync('gzip', ['-9'], { input: js }).length;
    expect(quoted(/# (\d+) with GNU gzip/)).toBe(gnu);
  });
});
