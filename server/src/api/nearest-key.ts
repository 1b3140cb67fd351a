/**
 * The known key a mistyped one most likely meant, for "did you mean" in a 400: a pure function,
 * so that the rule is tested on its own.
 */

/**
 * Optimal string alignment distance (Damerau–Levenshtein restricted to adjacent swaps that are
 * not edited again): `rnage` → `range` is 1, a swap, where plain Levenshtein counts 2.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** At most this many edits away counts as close. */
const MAX_DISTANCE = 2;

/**
 * The known key closest to `given`: within two edits, and fewer than the shorter of the two has
 * characters (so that `x` or `zzz` does not suggest `tz`), or one of the two a prefix of the other (`lim` → `limit`,
 * `breakdown_by` → `breakdown`) when the shorter has at least 3 characters. Compared without case.
 * The fewest edits wins, then the earlier key in `known`; `undefined` when none is close.
 */
export function nearestKey(given: string, known: readonly string[]): string | undefined {
  const g = given.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const k = key.toLowerCase();
    if (k === g) return key;
    const distance = editDistance(g, k);
    const shorter = Math.min(g.length, k.length);
    const close = distance <= MAX_DISTANCE && distance < shorter;
    const prefix = shorter >= 3 && (k.startsWith(g) || g.startsWith(k));
    if ((close || prefix) && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}
