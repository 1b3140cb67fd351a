/**
 * Deterministic variant assignment: the same visitor id and experiment key always give the same
 * variant, with no storage and no server round trip. Pure, so it is tested directly.
 */

/**
 * Picks one of `variants` for `visitorId` in experiment `key`, by `weights` (non-negative,
 * relative, one per variant) or evenly. The choice is 32-bit FNV-1a of `key NUL visitorId`,
 * mixed by one xorshift-multiply round (FNV alone splits sequential ids unevenly), read as a
 * fraction of 2^32.
 *
 * @example
 * assignVariant('visitor-1', 'cta-color', ['green', 'red'], [80, 20]); // always the same one
 */
export function assignVariant(
  visitorId: string,
  key: string,
  variants: readonly string[],
  weights?: readonly number[] | null,
): string {
  const w = weights || variants.map(() => 1);
  let h = 0x811c9dc5;
  for (const c of `${key}\u0000${visitorId}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  let r = ((Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0) / 2 ** 32) * w.reduce((a, b) => a + b);
  // r < the total weight, so some variant is found; `|| variants[0]` only guards float rounding.
  // biome-ignore lint/suspicious/noAssignInExpressions: walking the cumulative weights; kept short for f.js's budget.
  return variants.find((_, i) => (r -= w[i] as number) < 0) || (variants[0] as string);
}
