import { describe, expect, it } from 'vitest';
import { layoutSankey } from './sankey-layout.ts';

// A path tree as the paths API answers it: 10 start, then /a (6), Other (1), left (3); /a → /b (4), left (2).
const nodes = [
  { id: 's', level: 0, units: 10 },
  { id: 'a', level: 1, units: 6 },
  { id: 'o', level: 1, units: 1 },
  { id: 'e', level: 1, units: 3 },
  { id: 'o-x', level: 2, units: 1 },
  { id: 'a-b', level: 2, units: 4 },
  { id: 'a-e', level: 2, units: 2 },
];
const links = [
  { from: 's', to: 'a', units: 6 },
  { from: 's', to: 'o', units: 1 },
  { from: 's', to: 'e', units: 3 },
  { from: 'a', to: 'a-b', units: 4 },
  { from: 'a', to: 'a-e', units: 2 },
  { from: 'o', to: 'o-x', units: 1 },
];
const opts = { width: 600, height: 200, nodeWidth: 10, gap: 4, minSlot: 0 };

describe('layoutSankey', () => {
  it('puts levels in columns and sizes bars by units on one scale', () => {
    const l = layoutSankey(nodes, links, opts);
    expect(l.levels).toBe(3);
    const bar = (id: string) => l.bars.find((b) => b.node.id === id);
    expect(bar('s')?.x).toBe(0);
    expect(bar('a')?.x).toBe(295);
    expect(bar('a-b')?.x).toBe(590);
    // Level 1 holds all 10 units and three nodes: 200 − 2 gaps = 192 px for 10 units.
    expect(bar('s')?.height).toBeCloseTo(192, 9);
    expect(bar('a')?.height).toBeCloseTo(115.2, 9);
    expect(l.height).toBe(200);
  });

  it('orders a level by its parents, so bands do not cross needlessly', () => {
    const l = layoutSankey(nodes, links, opts);
    const level2 = l.bars.filter((b) => b.node.level === 2).map((b) => b.node.id);
    expect(level2).toEqual(['a-b', 'a-e', 'o-x']);
  });

  it('stacks the bands leaving a node, each as thick as its units', () => {
    const l = layoutSankey(nodes, links, opts);
    const fromS = l.bands.filter((b) => b.link.from === 's');
    expect(fromS.map((b) => b.link.to)).toEqual(['a', 'o', 'e']);
    expect(fromS.reduce((s, b) => s + b.thickness, 0)).toBeCloseTo(192, 9);
    expect(fromS[1]?.d.startsWith('M10,115.2')).toBe(true);
  });

  it('gives small nodes room for a label without changing their bars', () => {
    const l = layoutSankey(nodes, links, { ...opts, minSlot: 30 });
    const o = l.bars.find((b) => b.node.id === 'o');
    expect(o?.height).toBeCloseTo(19.2, 9);
    expect(l.height).toBeGreaterThan(200);
    const level1 = l.bars.filter((b) => b.node.level === 1);
    for (let i = 1; i < level1.length; i++)
      expect(level1[i]?.y ?? 0).toBeGreaterThanOrEqual(
        (level1[i - 1]?.y ?? 0) + (level1[i - 1]?.height ?? 0),
      );
  });

  it('draws a lone start', () => {
    const l = layoutSankey([{ id: 's', level: 0, units: 3 }], [], opts);
    expect(l.bars).toHaveLength(1);
    expect(l.bands).toEqual([]);
  });
});
