import { expect, it } from 'vitest';
import { insightParams, parseInsight } from './insight-route.ts';

it('reads a step pair of the funnel and refuses pairs it does not have', () => {
  expect(parseInsight('why', '2-3', 3)).toEqual({ kind: 'why', from: 2, to: 3 });
  expect(parseInsight('why', '1-3', 3)).toEqual({ kind: 'why', from: 1, to: 3 });
  expect(parseInsight('where', '1-2', 3)).toEqual({ kind: 'where', from: 1, to: 2 });
  for (const [kind, steps] of [
    ['why', '3-4'],
    ['why', '2-2'],
    ['why', '3-2'],
    ['why', '0-1'],
    ['why', '1-2-3'],
    ['why', undefined],
    ['how', '1-2'],
    [undefined, '1-2'],
    ['where', '1-3'],
  ] as const)
    expect(parseInsight(kind, steps, 3), `${kind} ${steps}`).toBeUndefined();
});

it('writes what it reads', () => {
  const i = { kind: 'where', from: 2, to: 3 } as const;
  const p = insightParams(i);
  expect(parseInsight(p.insight, p.steps, 3)).toEqual(i);
  expect(insightParams(undefined)).toEqual({ insight: undefined, steps: undefined });
});
