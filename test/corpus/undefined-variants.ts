import { body, collector, ev } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Visitors sending made-up variants of a running experiment: 30,000 of them made a 4.4 MiB results
 * answer and a 30,000-node dashboard view. The answer lists the 20 with the most units (ties by
 * variant) and counts the others in `undefined_variants_more`; each case checks the exact list.
 */
const KEY = 'flood';
const SHOWN = 20;
const EXPERIMENTS = '/api/v1/sites/$SITE_ID/experiments';

const definition = {
  key: KEY,
  name: 'Flooded',
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
  control: 'a',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 3600 },
};

/** One exposure per (visitor, variant). */
type Exposure = [visitor: string, variant: string];

const exposureEvent = ([visitor, variant]: Exposure, i: number) =>
  ev(`x${i}`, { type: 'exposure', name: KEY, variant, visitor_id: visitor, session_id: `s-${visitor}` });

/** Collect bodies of at most 100 events each. */
function batches(exposures: readonly Exposure[]): { body: unknown }[] {
  const out: { body: unknown }[] = [];
  for (let i = 0; i < exposures.length; i += 100)
    out.push({ body: body(exposures.slice(i, i + 100).map((e, j) => exposureEvent(e, i + j))) });
  return out;
}

const pad = (i: number) => String(i).padStart(4, '0');

interface Flood {
  name: string;
  exposures: Exposure[];
  listed: { variant: string; units: number }[];
  more: number;
  multiple?: number;
}

function floods(): Flood[] {
  const single = (n: number, variant: (i: number) => string): Exposure[] =>
    Array.from({ length: n }, (_, i): Exposure => [`v${pad(i)}`, variant(i)]);
  // 40 visitors in the defined variants beside every flood.
  const defined = single(40, (i) => (i % 2 === 0 ? 'a' : 'b')).map(([v, x]): Exposure => [`d-${v}`, x]);
  const ones = (n: number, name: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => ({ variant: name(i), units: 1 }));
  // k units for variant `w-k`, k = 1…25: the top 20 are w-25…w-6.
  const weighted: Exposure[] = [];
  for (let k = 1; k <= 25; k++) for (let u = 0; u < k; u++) weighted.push([`w${k}-${u}`, `w-${pad(k)}`]);
  const long = (i: number) => `${'z'.repeat(120)}-${pad(i)}`;
  return [
    {
      name: '250 made-up variants of one visitor each',
      exposures: [...defined, ...single(250, (i) => `made-up-${pad(i)}`)],
      listed: ones(SHOWN, (i) => `made-up-${pad(i)}`),
      more: 230,
    },
    {
      name: 'the largest listed first, by units',
      exposures: [...defined, ...weighted],
      listed: Array.from({ length: SHOWN }, (_, i) => ({ variant: `w-${pad(25 - i)}`, units: 25 - i })),
      more: 5,
    },
    {
      name: '125-character variants',
      exposures: [...defined, ...single(60, long)],
      listed: ones(SHOWN, long),
      more: 40,
    },
    {
      name: 'exactly 20: nothing more',
      exposures: [...defined, ...single(SHOWN, (i) => `u-${pad(i)}`)],
      listed: ones(SHOWN, (i) => `u-${pad(i)}`),
      more: 0,
    },
    {
      name: 'flooders exposed twice are multiple exposures, not variants',
      exposures: [
        ...defined,
        ...single(30, (i) => `m-${pad(i)}`),
        ...single(30, (i) => `m2-${pad(i)}`),
        ...single(30, (i) => `solo-${pad(i)}`).map(([v, x]): Exposure => [`s-${v}`, x]),
      ],
      listed: ones(SHOWN, (i) => `solo-${pad(i)}`),
      more: 10,
      multiple: 30,
    },
  ];
}

export function undefinedVariantCases(): CorpusCase[] {
  const { out, add } = collector('undefined_variant_flood', 'undefined-variants');
  for (const f of floods()) {
    add(f.name, {
      method: 'GET',
      path: `${EXPERIMENTS}/${KEY}/results?range=7d`,
      before: [{ path: EXPERIMENTS, body: definition }, ...batches(f.exposures)],
      expect: {
        status: 200,
        outcome: 'stored',
        rows: f.exposures.length,
        answer: {
          variants: [
            { key: 'a', units: 20 },
            { key: 'b', units: 20 },
          ],
          health: {
            undefined_variants: f.listed,
            undefined_variants_more: f.more,
            multiple_exposures: f.multiple ?? 0,
          },
        },
      },
    });
  }
  return out;
}
