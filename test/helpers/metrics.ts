/** The value of one Prometheus sample of the server's `/metrics`, 0 when absent. */
export async function metricValue(s: { url: string }, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Events dropped so far for `reason`. */
export const droppedFor = (s: { url: string }, reason: string) =>
  metricValue(s, 'funnelhouse_events_dropped_total', `reason="${reason}"`);
