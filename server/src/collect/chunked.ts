/** Resolves in the check phase of the next turn of the event loop, after the I/O that is due. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `fn` for every item, `chunk` items at a time, and gives the event loop a turn
 * (`setImmediate`) between chunks, so a large batch never holds the loop for its whole length:
 * requests of other clients, timers and I/O are served between chunks. Returns the number of
 * turns given (chunks − 1), which tests count.
 *
 * @example
 * await forEachInChunks(events, 50, (ev, i) => results.push(judge(ev, i)));
 */
export async function forEachInChunks<T>(
  items: readonly T[],
  chunk: number,
  fn: (item: T, index: number) => void,
): Promise<number> {
  const size = Math.max(1, Math.floor(chunk));
  let turns = 0;
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) {
      await nextTurn();
      turns++;
    }
    const end = Math.min(items.length, start + size);
    for (let i = start; i < end; i++) fn(items[i] as T, i);
  }
  return turns;
}
