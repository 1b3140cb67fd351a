/**
 * Writes `hostile.json`, the hostile corpus: `npx tsx test/corpus/generate.ts`. Deterministic:
 * the same script always writes the same file, which is committed next to it.
 * `npx tsx test/corpus/generate.ts --summary` prints the case count by class instead.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formulaCases } from './formula.ts';
import { forwardingCases } from './forwarding.ts';
import { hostileStrings } from './hostile-text.ts';
import { importBytesCases } from './import-bytes.ts';
import { importProtoCases } from './import-proto.ts';
import { invalidCases } from './invalid.ts';
import { invalidApiCases } from './invalid-api.ts';
import { moneyCases } from './money.ts';
import { oversizedCases } from './oversized.ts';
import { partialBatchCases } from './partial-batch.ts';
import { policyCases } from './policy.ts';
import { prototypeCases } from './prototype.ts';
import { quadraticCases } from './quadratic.ts';
import { re2Cases } from './re2.ts';
import { regexCompileCases } from './regex-compile.ts';
import { scrubEncodedCases } from './scrub-encoded.ts';
import { secretUrlCases } from './secret-url.ts';
import { squattingCases } from './squatting.ts';
import { tenantStarvationCases } from './tenant-starvation.ts';
import type { CorpusCase } from './types.ts';
import { undefinedVariantCases } from './undefined-variants.ts';

export function buildCorpus(): CorpusCase[] {
  const cases = [
    ...invalidCases(),
    ...hostileStrings(),
    ...policyCases(),
    ...prototypeCases(),
    ...formulaCases(),
    ...forwardingCases(),
    ...squattingCases(),
    ...re2Cases(),
    ...oversizedCases(),
    ...quadraticCases(),
    ...secretUrlCases(),
    ...partialBatchCases(),
    ...importBytesCases(),
    ...importProtoCases(),
    ...tenantStarvationCases(),
    ...regexCompileCases(),
    ...invalidApiCases(),
    ...undefinedVariantCases(),
    ...scrubEncodedCases(),
    ...moneyCases(),
  ];
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name: ${c.name}`);
    names.add(c.name);
  }
  return cases;
}

export function summary(cases: readonly CorpusCase[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.class] = (out[c.class] ?? 0) + 1;
  return { ...out, total: cases.length };
}

/** The file's text: one case per line, so diffs of a regenerated corpus stay readable. */
export function serialize(cases: readonly CorpusCase[]): string {
  return `[\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cases = buildCorpus();
  if (process.argv.includes('--summary')) {
    console.log(summary(cases));
  } else {
    const path = fileURLToPath(new URL('./hostile.json', import.meta.url));
    writeFileSync(path, serialize(cases));
    console.log(`wrote ${path}`, summary(cases));
  }
}
