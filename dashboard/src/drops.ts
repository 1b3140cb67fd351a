/**
 * Dropped events as the server counts them (`funnelhouse_events_dropped_total{reason}` on the
 * public `/metrics`). The counter is server-wide, not per site: the install check shows how it
 * grew while the page is open, and says so.
 */
export type DropCounts = Record<string, number>;

export const DROP_WORDS: Record<string, string> = {
  bot: 'dropped as bots or crawlers (their user agent says so, or headless browsers)',
  dnt: 'dropped because the browser sent Do Not Track / Global Privacy Control and the site respects it',
  stale: 'dropped as stale (sent too long after they happened)',
  host_not_allowed: "dropped because the page's host is not in the site's allowed hosts",
  too_old: 'dropped as too old',
  in_future: 'dropped as dated in the future',
  duplicate_id: 'dropped as repeats of an event already in the same batch',
};

/** Reads the drop counters of a Prometheus text exposition. */
export function parseDrops(text: string): DropCounts {
  const out: DropCounts = {};
  for (const m of text.matchAll(
    /^funnelhouse_events_dropped_total\{reason="([a-z_]+)"\} (\d+(?:\.\d+)?)$/gm,
  )) {
    if (m[1]) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The increase of each counter from `before` to `now` (only those that grew). */
export function dropsSince(before: DropCounts, now: DropCounts): DropCounts {
  const out: DropCounts = {};
  for (const [k, v] of Object.entries(now)) if (v > (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

export async function fetchDrops(): Promise<DropCounts> {
  const res = await fetch('/metrics');
  return res.ok ? parseDrops(await res.text()) : {};
}
