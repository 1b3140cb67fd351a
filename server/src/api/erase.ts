/**
 * Erasure verified by count: counts the rows, deletes them (a synchronous mutation), counts again.
 * The answer reports what the store says is gone and what is left, not what was asked for.
 */
export async function eraseCounted(
  count: () => Promise<number>,
  erase: () => Promise<void>,
): Promise<{ deleted: number; remaining: number }> {
  const before = await count();
  await erase();
  const remaining = await count();
  return { deleted: before - remaining, remaining };
}
