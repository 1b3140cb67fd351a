import type { CorpusCase } from './types.ts';

export interface Tokens {
  now: number;
  siteKey: string;
  siteId: string;
  apiKey: string;
  adminKey: string;
}

function fillText(text: string, t: Tokens): string {
  return text
    .replace(/"\$NOW(?:-(\d+))?"/g, (_m, ago: string | undefined) => String(t.now - Number(ago ?? 0)))
    .replaceAll('$SITE_KEY_UPPER', t.siteKey.toUpperCase())
    .replaceAll('$SITE_KEY', t.siteKey)
    .replaceAll('$SITE_ID', t.siteId)
    .replaceAll('$API_KEY', t.apiKey)
    .replaceAll('$ADMIN_KEY', t.adminKey)
    .replace(/\$PAD\((\d+)\)/g, (_m, n: string) => 'x'.repeat(Number(n)));
}

/** The bytes to send for a case, tokens filled in (see `CorpusCase`). */
export function caseBody(c: Pick<CorpusCase, 'body' | 'body_base64'>, t: Tokens): Buffer | undefined {
  if (c.body_base64 !== undefined) return Buffer.from(c.body_base64, 'base64');
  if (c.body === undefined) return undefined;
  const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  return Buffer.from(fillText(text, t), 'utf8');
}

/** The text of an import file, tokens filled in, one group's `$I` counting its repeats. */
export function importText(c: Required<Pick<CorpusCase, 'import'>>, t: Tokens): string {
  let out = '';
  for (const { text, repeat = 1 } of c.import.lines) {
    const filled = fillText(text, t);
    for (let i = 0; i < repeat; i++) out += `${filled.replaceAll('$I', String(i))}\n`;
  }
  return out;
}

/** A request path with `$SITE_ID` filled in. */
export const casePath = (path: string, t: Tokens): string => fillText(path, t);
