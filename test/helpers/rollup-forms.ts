import type { Store } from '@funnelhouse/server';
import type { TestServer } from './server.ts';

/**
 * The reports store twice, for tests that hold a report's `hours` form (read from rollups) to its
 * `events` form: `hours` must read a projection (else a form that missed its rollups would pass,
 * answered from the events), `events` may not be forced (the engine keeps a connection's last
 * settings, so each sends its own).
 */
export function formStores(s: TestServer): Record<'hours' | 'events', Store> {
  const db = s.deps.store.analytics;
  return {
    hours: { ...db, settings: { ...db.settings, force_optimize_projection: 1 } },
    events: { ...db, settings: { ...db.settings, force_optimize_projection: 0 } },
  };
}

/** Values holding the bytes a rollup's joined values escape and split with (`sql/touch.ts`). */
export const ODD_VALUES = ['', 'a', '\x1E', '\x1F', 'a\x1Fb', '\x1E\x1C', 'ü\x1E€'];
