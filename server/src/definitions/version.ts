/**
 * Saved definitions (funnels in `funnels_v1`, experiments in `experiments_v1`) are versioned
 * rows in a ReplacingMergeTree: a change or a deletion is a newer row, and reads take the newest
 * live one (`FINAL`). A newer version must sort after the old one even within the same
 * millisecond, so its time is at least one past the old one's.
 */
export const nextVersionAt = (old: { updated_at: number }): number =>
  Math.max(Date.now(), old.updated_at + 1);
