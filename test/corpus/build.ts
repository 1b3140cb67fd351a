import type { CorpusCase, CorpusExpectation } from './types.ts';

export const NOW = '$NOW';
export const SITE_KEY = '$SITE_KEY';
export const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A valid pageview; override any field (`undefined` removes it). */
export function ev(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const e: Record<string, unknown> = {
    id,
    type: 'pageview',
    ts: NOW,
    url: 'https://shop.example/p/1',
    visitor_id: 'v-corpus',
    session_id: 's-corpus',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  return e;
}

/** A collect body of the case's site; override any field (`undefined` removes it). */
export function body(events: unknown[], over: Record<string, unknown> = {}): Record<string, unknown> {
  const b: Record<string, unknown> = { site: SITE_KEY, sent_at: NOW, events };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete b[k];
    else b[k] = v;
  }
  return b;
}

export const rejected = (code: string, status = 400): CorpusExpectation => ({
  status,
  code,
  outcome: 'rejected',
});

export const storedOne = (readback: CorpusExpectation['readback'] = []): CorpusExpectation => ({
  status: 202,
  outcome: 'stored',
  accepted: 1,
  dropped: 0,
  readback,
});

export const droppedAll = (n: number, reason: string): CorpusExpectation => ({
  status: 202,
  outcome: 'dropped',
  accepted: 0,
  dropped: n,
  drop_reason: reason,
});

/**
 * A 202 whose answer lists the events in `rejected` (nothing stored for them) and stores the
 * `accepted` others.
 */
export const eventsRejected = (
  list: { index: number; code: string }[],
  accepted: number,
  readback: CorpusExpectation['readback'] = [],
): CorpusExpectation => ({
  status: 202,
  outcome: 'event_rejected',
  accepted,
  dropped: list.length,
  rejected: list,
  readback,
});

/** A batch of a good event (`good`, index 0) and a bad one: the good one stored, the bad one listed. */
export const besideGood = (code: string): CorpusExpectation =>
  eventsRejected([{ index: 1, code }], 1, [{ event_id: 'good', column: 'type', value: 'pageview' }]);

/** Collects cases with a class and a name prefix. */
export function collector(cls: CorpusCase['class'], prefix: string) {
  const out: CorpusCase[] = [];
  return {
    out,
    add(name: string, c: Omit<CorpusCase, 'name' | 'class'>) {
      out.push({ name: `${prefix}/${name}`, class: cls, ...c });
    },
  };
}
