import type { FunnelDefinition } from '@funnelhouse/schemas';
import { expect, it } from 'vitest';
import {
  addStep,
  breakdownParam,
  canonicalDefinition,
  moveStep,
  parseBreakdown,
  parseDefinition,
  removeStep,
} from './definition.ts';

const d: FunnelDefinition = {
  steps: [
    { label: 'a', match: [{ type: 'pageview' }] },
    { label: 'b', match: [{ type: 'add_to_cart' }], optional: true },
    { label: 'c', match: [{ type: 'purchase' }] },
  ],
  exclusions: [{ match: [{ type: 'click' }], from_step: 1, to_step: 3 }],
};

it('moves, adds and removes steps, keeping the ends required and exclusions in range', () => {
  const moved = moveStep(d, 1, 1);
  expect(moved.steps.map((s) => s.label)).toEqual(['a', 'c', 'b']);
  expect(moved.steps[2]?.optional).toBeUndefined();
  expect(moveStep(d, 0, -1)).toBe(d);
  expect(addStep(d).steps).toHaveLength(4);
  const removed = removeStep(d, 2);
  expect(removed.steps.map((s) => s.label)).toEqual(['a', 'b']);
  expect(removed.steps[1]?.optional).toBeUndefined();
  expect(removed.exclusions).toEqual([]);
  expect(removeStep(removed, 0)).toBe(removed);
});

it('reads the URL forms, falling back on bad input', () => {
  expect(parseDefinition(JSON.stringify(d))).toEqual(d);
  expect(parseDefinition('{not json').steps).toHaveLength(2);
  expect(parseBreakdown('column:channel')).toEqual({ column: 'channel' });
  expect(parseBreakdown('experiment:cta-color')).toEqual({ experiment: 'cta-color' });
  expect(parseBreakdown('nope')).toBeUndefined();
});

it('writes a saved breakdown back as the URL form, and equal definitions alike whatever their key order', () => {
  for (const b of ['column:channel', 'property:plan', 'experiment:cta-color']) {
    const dimension = parseBreakdown(b);
    expect(dimension && breakdownParam({ dimension })).toBe(b);
  }
  expect(breakdownParam(undefined)).toBeUndefined();
  const reordered: FunnelDefinition = {
    exclusions: [{ to_step: 3, from_step: 1, match: [{ type: 'click' }] }],
    steps: d.steps.map((s) => ({
      match: s.match,
      ...(s.optional ? { optional: true } : {}),
      label: s.label,
    })),
  };
  expect(canonicalDefinition(reordered)).toBe(canonicalDefinition(d));
  expect(canonicalDefinition(moveStep(d, 0, 1))).not.toBe(canonicalDefinition(d));
});
