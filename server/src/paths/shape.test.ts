import { describe, expect, it } from 'vitest';
import { shapePaths } from './shape.ts';

const o = { direction: 'after' as const, depth: 2, width: 1, startLabel: '/s' };

describe('shapePaths', () => {
  it('ranks by units then label, merges the rest into Other, whose children are ranked over all merged labels', () => {
    const rows = [
      { prefix: [], units: 6, ended: 1 },
      { prefix: ['/a'], units: 2, ended: 2 },
      { prefix: ['/b'], units: 2, ended: 0 },
      { prefix: ['/c'], units: 1, ended: 0 },
      { prefix: ['/b', '/x'], units: 1, ended: 0 },
      { prefix: ['/b', '/y'], units: 1, ended: 0 },
      { prefix: ['/c', '/y'], units: 1, ended: 0 },
    ];
    const t = shapePaths(rows, o);
    expect(t.units).toBe(6);
    // Level 1: /a and /b tie at 2; '/a' sorts first, so /b (and /c) go to Other.
    expect(t.nodes.map((n) => [n.id, n.level, n.label, n.kind, n.units])).toEqual([
      ['n0', 0, '/s', 'start', 6],
      ['n1', 1, '/a', 'label', 2],
      ['n2', 1, 'Other', 'other', 3],
      ['n3', 1, '(left the site)', 'end', 1],
      ['n4', 2, '(left the site)', 'end', 2],
      ['n5', 2, '/y', 'label', 2],
      ['n6', 2, 'Other', 'other', 1],
    ]);
    // Each node's share of the start's units, as the dashboard shows it.
    expect(t.nodes.map((n) => n.share)).toEqual([1, 2 / 6, 3 / 6, 1 / 6, 2 / 6, 2 / 6, 1 / 6]);
    expect(t.links).toEqual([
      { from: 'n0', to: 'n1', units: 2 },
      { from: 'n0', to: 'n2', units: 3 },
      { from: 'n0', to: 'n3', units: 1 },
      { from: 'n1', to: 'n4', units: 2 },
      { from: 'n2', to: 'n5', units: 2 },
      { from: 'n2', to: 'n6', units: 1 },
    ]);
  });

  it('answers the start alone when no unit has it', () => {
    expect(shapePaths([], o)).toEqual({
      units: 0,
      nodes: [{ id: 'n0', level: 0, label: '/s', kind: 'start', units: 0, share: 0 }],
      links: [],
    });
  });
});
