import { expect, it } from 'vitest';
import { dropsSince, parseDrops } from './drops.ts';

it('reads the drop counters of a Prometheus exposition and their growth', () => {
  const text = [
    '# HELP funnelhouse_events_dropped_total Events dropped by an enrichment step, by reason',
    '# TYPE funnelhouse_events_dropped_total counter',
    'funnelhouse_events_dropped_total{reason="bot"} 12',
    'funnelhouse_events_dropped_total{reason="dnt"} 3',
    'funnelhouse_events_accepted_total 99',
  ].join('\n');
  const now = parseDrops(text);
  expect(now).toEqual({ bot: 12, dnt: 3 });
  expect(dropsSince({ bot: 10, dnt: 3 }, now)).toEqual({ bot: 2 });
  expect(dropsSince({}, { stale: 1 })).toEqual({ stale: 1 });
});
