import { describe, expect, it } from 'vitest';
import { forEachInChunks } from './chunked.ts';

/**
 * A ticker that takes a turn of the event loop whenever it can: the number of its ticks that fall
 * between two items shows whether the loop was free there. Counted, never timed.
 */
function ticker() {
  const t = { ticks: 0, stopped: false };
  const tick = () => {
    t.ticks++;
    if (!t.stopped) setImmediate(tick);
  };
  setImmediate(tick);
  return t;
}

describe('forEachInChunks', () => {
  it('visits every item once, in order, with its index', async () => {
    const seen: [string, number][] = [];
    const turns = await forEachInChunks(['a', 'b', 'c', 'd', 'e'], 2, (x, i) => seen.push([x, i]));
    expect(seen).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['e', 4],
    ]);
    expect(turns).toBe(2);
    expect(await forEachInChunks([], 2, () => {})).toBe(0);
  });

  it('lets other work run between chunks, never inside one', async () => {
    const t = ticker();
    await new Promise((r) => setImmediate(r)); // the ticker is running
    const ticksAt: number[] = [];
    const turns = await forEachInChunks(
      Array.from({ length: 1000 }, (_, i) => i),
      50,
      () => ticksAt.push(t.ticks),
    );
    t.stopped = true;
    expect(turns).toBe(19);
    // Within a chunk the loop is held: the ticker's count does not move.
    for (let c = 0; c < 20; c++) expect(new Set(ticksAt.slice(c * 50, c * 50 + 50)).size).toBe(1);
    // Between chunks it is free: the ticker ran before each of the 19 later chunks.
    expect(new Set(ticksAt).size).toBe(20);
  });
});
