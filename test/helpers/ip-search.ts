import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files under `dir` whose bytes contain `needle` (as ASCII text), plus `logs` and `extra` texts
 * when they do. Used to prove a client address was never written anywhere.
 */
export function findText(dir: string, needle: string, texts: Record<string, string> = {}): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle, 'latin1');
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile() && readFileSync(p).includes(bytes)) hits.push(p);
    }
  };
  walk(dir);
  for (const [name, text] of Object.entries(texts)) if (text.includes(needle)) hits.push(name);
  return hits;
}
