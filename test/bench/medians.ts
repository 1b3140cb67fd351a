/**
 * Median ms of each query. Rounds interleave the queries (after one warm-up each) so that load
 * from elsewhere on the machine affects all of them alike.
 */
export async function medians(rounds: number, queries: (() => Promise<unknown>)[]): Promise<number[]> {
  for (const q of queries) await q();
  const ms: number[][] = queries.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, q] of queries.entries()) {
      const t = performance.now();
      await q();
      ms[i]?.push(performance.now() - t);
    }
  }
  return ms.map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
}
