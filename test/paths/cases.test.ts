/**
 * Hand cases of `POST …/paths` through real HTTP on real chdb: each tree worked out by hand, node
 * by node (ids, order, units) and link by link, and held to the oracle as well.
 */
import { type EventRow, runPaths } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { oracleTree, treeOfAnswer, unitPaths } from './oracle.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const DAY = 86_400_000;
/** Each case on its own day, a day apart from the next, so that cases share the site and not their events. */
const dayOf = (k: number) => Date.UTC(2026, 2, 1 + 2 * k);

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'paths');
}, 180_000);
afterAll(() => s.destroy());

let ids = 0;
/** An event of visitor `v` at `ms` after the case's day start; `id` orders same-ms events. */
function ev(day: number, v: string, ms: number, over: Partial<EventRow> = {}): EventRow {
  ids += 1;
  return eventRow(site.id, {
    ts: dayOf(day) + ms,
    visitor_id: v,
    event_id: `h${String(ids).padStart(5, '0')}`,
    ...over,
  });
}
const pv = (day: number, v: string, ms: number, path: string, over: Partial<EventRow> = {}) =>
  ev(day, v, ms, { type: 'pageview', path, ...over });

/** A tree's end nodes: after the last event read, or before the first. */
const LEFT = '(left the site)';
const RANGE_START = '(start of the range)';
type NodeKind = 'start' | 'label' | 'other' | 'end';

/**
 * The nodes a tree should have, in id order (`n0`, `n1`, …): level, label, units, kind (`label`
 * unless given); each node's share is its units over the start's (the first node's).
 */
const nodes = (...xs: [level: number, label: string, units: number, kind?: NodeKind][]) =>
  xs.map(([level, label, units, kind = 'label'], i) => ({
    id: `n${i}`,
    level,
    label,
    kind,
    units,
    share: units / (xs[0]?.[2] ?? 1),
  }));

/** The links a tree should have, by node number: from, to, units. */
const links = (...xs: [from: number, to: number, units: number][]) =>
  xs.map(([from, to, units]) => ({ from: `n${from}`, to: `n${to}`, units }));

/** Inserts the case's rows (unless already in), asks, and holds the answer to the oracle over them. */
async function ask(day: number, body: Record<string, unknown>, rows: EventRow[], insert = true) {
  if (insert) await insertRows(s.deps.store, rows);
  const q = {
    from: new Date(dayOf(day)).toISOString(),
    to: new Date(dayOf(day) + DAY).toISOString(),
    tz: 'UTC',
    ...body,
  };
  const res = await api(s, 'POST', `/api/v1/sites/${site.id}/paths`, site.api_key, q);
  const answer = (await res.json()) as Parameters<typeof treeOfAnswer>[0] & Record<string, unknown>;
  expect(res.status, JSON.stringify(answer)).toBe(200);
  // The oracle agrees with the hand-worked tree too.
  const o = { from: dayOf(day), to: dayOf(day) + DAY, now: Date.now() };
  const want = oracleTree(unitPaths(rows as never, q as never, o), q as never);
  expect(treeOfAnswer(answer)).toEqual(want);
  return answer;
}

describe('paths after a page', () => {
  it('collapses repeats, cleans ids, merges the rest into Other, ends with "(left the site)"', async () => {
    const d = 0;
    const rows = [
      pv(d, 'v1', 0, '/home'),
      pv(d, 'v1', 10, '/cart'),
      pv(d, 'v1', 20, '/cart'), // a reload of the start page is not a step
      pv(d, 'v1', 30, '/checkout'),
      pv(d, 'v1', 40, '/product/123'),
      pv(d, 'v1', 50, '/product/4567'), // the same cleaned path: collapses
      pv(d, 'v1', 60, '/thanks'),
      pv(d, 'v2', 0, '/cart'),
      pv(d, 'v2', 10, '/checkout'),
      pv(d, 'v2', 20, '/thanks'),
      pv(d, 'v3', 0, '/cart'),
      ev(d, 'v3', 5, { type: 'click', path: '/cart' }), // not a page: no node
      pv(d, 'v3', 10, '/blog'),
      pv(d, 'v4', 0, '/cart'),
      pv(d, 'v5', 0, '/cart'),
      pv(d, 'v5', 10, '/about'),
      pv(d, 'v6', 0, '/cart'),
      pv(d, 'v6', 10, '/blog'),
      pv(d, 'v6', 20, '/cart'), // the start again: only the first one anchors
      pv(d, 'v6', 30, '/help'),
      pv(d, 'v7', 0, '/home'), // never at the start
    ];
    const a = await ask(
      d,
      { start: { page: '/cart' }, direction: 'after', depth: 3, width: 2, node: 'path' },
      rows,
    );
    expect(a).toMatchObject({ units: 6, depth: 3, width: 2, node: 'path', direction: 'after' });
    expect(a.nodes).toEqual(
      nodes(
        [0, '/cart', 6, 'start'],
        [1, '/blog', 2],
        [1, '/checkout', 2],
        [1, 'Other', 1, 'other'],
        [1, LEFT, 1, 'end'],
        [2, '/cart', 1],
        [2, LEFT, 1, 'end'],
        [2, '/product/*', 1],
        [2, '/thanks', 1],
        [2, LEFT, 1, 'end'],
        [3, '/help', 1],
        [3, '/thanks', 1],
        [3, LEFT, 1, 'end'],
      ),
    );
    expect(a.links).toEqual(
      links(
        [0, 1, 2],
        [0, 2, 2],
        [0, 3, 1],
        [0, 4, 1],
        [1, 5, 1],
        [1, 6, 1],
        [2, 7, 1],
        [2, 8, 1],
        [3, 9, 1],
        [5, 10, 1],
        [7, 11, 1],
        [8, 12, 1],
      ),
    );
  });

  it('matches the start page by its cleaned path, and reads only the range', async () => {
    const d = 1;
    const rows = [
      pv(d, 'a', -5, '/product/1'), // the day before: outside the range
      pv(d, 'a', 10, '/x'),
      pv(d, 'b', 0, '/product/99'),
      pv(d, 'b', DAY + 5, '/late'), // after the range: "(left the site)"
    ];
    const a = await ask(
      d,
      { start: { page: '/product/7' }, direction: 'after', depth: 1, node: 'path' },
      rows,
    );
    expect(a.nodes).toEqual(nodes([0, '/product/*', 1, 'start'], [1, LEFT, 1, 'end']));
  });
});

describe('paths before an event', () => {
  it('reads back from the first start event, nearest first; ties in time go by event id', async () => {
    const d = 2;
    const at = (v: string, ms: number, type: EventRow['type'], id: string, name = '') =>
      ev(d, v, ms, { type, name, event_id: id, path: '/' });
    const rows = [
      at('v1', 0, 'pageview', 'a1'),
      at('v1', 10, 'pageview', 'a2'),
      at('v1', 20, 'click', 'a3'),
      at('v1', 30, 'add_to_cart', 'a4'),
      at('v1', 40, 'purchase', 'a5'),
      at('v2', 0, 'custom', 'b1', 'signup'),
      at('v2', 10, 'purchase', 'b2'),
      at('v2', 20, 'purchase', 'b3'),
      at('v3', 0, 'purchase', 'c1'),
      // Same millisecond: the pageview's id sorts first for v4, the purchase's for v5.
      at('v4', 0, 'pageview', 'd1'),
      at('v4', 0, 'purchase', 'd2'),
      at('v5', 0, 'pageview', 'e2'),
      at('v5', 0, 'purchase', 'e1'),
    ];
    const a = await ask(
      d,
      { start: { event: { type: 'purchase' } }, direction: 'before', depth: 2, node: 'event' },
      rows,
    );
    expect(a.units).toBe(5);
    expect(a.nodes).toEqual(
      nodes(
        [0, 'purchase', 5, 'start'],
        [1, 'add_to_cart', 1],
        [1, 'custom:signup', 1],
        [1, 'pageview', 1],
        [1, RANGE_START, 2, 'end'],
        [2, 'click', 1],
        [2, RANGE_START, 1, 'end'],
        [2, RANGE_START, 1, 'end'],
      ),
    );
    expect(a.links).toEqual(
      links([0, 1, 1], [0, 2, 1], [0, 3, 1], [0, 4, 2], [1, 5, 1], [2, 6, 1], [3, 7, 1]),
    );
  });

  it('applies the filters to every event read, the start included', async () => {
    const d = 3;
    const rows = [
      pv(d, 'm', 0, '/a', { device: 'mobile' }),
      pv(d, 'm', 10, '/b', { device: 'desktop' }),
      pv(d, 'm', 20, '/c', { device: 'mobile' }),
      pv(d, 'k', 0, '/a', { device: 'desktop' }),
      pv(d, 'k', 10, '/b', { device: 'desktop' }),
    ];
    const filters = [{ column: 'device', op: 'eq', value: 'mobile' }];
    const a = await ask(
      d,
      { start: { page: '/a' }, direction: 'after', depth: 1, node: 'path', filters },
      rows,
    );
    expect(a.nodes).toEqual(nodes([0, '/a', 1, 'start'], [1, '/c', 1]));
  });
});

describe('paths from a funnel step', () => {
  const definition = {
    steps: [
      { match: [{ type: 'pageview', path: { op: 'exact', value: '/cart' } }] },
      { match: [{ type: 'purchase' }] },
    ],
    window_seconds: 3600,
  };

  it('where those who dropped after step 1 went, and what converters did before paying', async () => {
    const d = 4;
    const rows = [
      pv(d, 'drop', 0, '/home'),
      pv(d, 'drop', 10, '/cart'),
      pv(d, 'drop', 20, '/shipping'),
      pv(d, 'drop', 30, '/home'),
      pv(d, 'buy', 0, '/cart'),
      pv(d, 'buy', 10, '/pay'),
      ev(d, 'buy', 20, { type: 'purchase', path: '/pay' }),
      pv(d, 'buy', 30, '/thanks'),
    ];
    const dropped = await ask(
      d,
      {
        start: { funnel: { definition, step: 1, who: 'dropped' } },
        direction: 'after',
        depth: 3,
        node: 'path',
      },
      rows,
    );
    expect(dropped.nodes).toEqual(
      nodes([0, 'step 1', 1, 'start'], [1, '/shipping', 1], [2, '/home', 1], [3, LEFT, 1, 'end']),
    );
    const before = await ask(
      d,
      {
        start: { funnel: { definition, step: 2, who: 'reached' } },
        direction: 'before',
        depth: 2,
        node: 'event',
      },
      rows,
      false,
    );
    expect(before.nodes).toEqual(
      nodes([0, 'step 2', 1, 'start'], [1, 'pageview', 1], [2, RANGE_START, 1, 'end']),
    );
  });
});

describe('refused questions', () => {
  const base = { start: { page: '/' }, direction: 'after', node: 'path', range: '7d' };
  const funnel = (over: Record<string, unknown>) => ({
    ...base,
    start: {
      funnel: {
        definition: { steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }] },
        step: 1,
        who: 'dropped',
        ...over,
      },
    },
  });
  const cases: [string, unknown, string][] = [
    ['depth over 5', { ...base, depth: 6 }, 'depth'],
    ['depth 0', { ...base, depth: 0 }, 'depth'],
    ['width over 20', { ...base, width: 21 }, 'width'],
    ['a fractional width', { ...base, width: 2.5 }, 'width'],
    ['an unknown key', { ...base, colour: 'red' }, 'colour'],
    ['no node kind', { start: base.start, direction: 'after', range: '7d' }, 'node'],
    ['an unknown direction', { ...base, direction: 'sideways' }, 'direction'],
    ['two starts at once', { ...base, start: { page: '/', event: { type: 'click' } } }, 'start'],
    ['an unknown event type', { ...base, start: { event: { type: 'nope' } } }, 'start'],
    ['an empty page', { ...base, start: { page: '' } }, 'start'],
    ['a step past the funnel', funnel({ step: 3 }), 'start.funnel.step'],
    ['dropped at the last step', funnel({ step: 2 }), 'start.funnel.who'],
    [
      'a funnel counting sessions',
      funnel({
        definition: {
          steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'click' }] }],
          unit: 'session',
        },
      }),
      'start.funnel.definition.unit',
    ],
    [
      'a range with from after to',
      { ...base, range: undefined, from: '2026-03-05', to: '2026-03-01' },
      'from',
    ],
    ['range and from together', { ...base, from: '2026-03-01' }, 'range'],
    ['a range over 366 days', { ...base, range: undefined, from: '2024-01-01', to: '2026-01-01' }, 'to'],
    ['an unknown zone', { ...base, tz: 'Mars/Olympus' }, 'tz'],
  ];
  for (const [name, body, path] of cases) {
    it(`answers 400 to ${name}`, async () => {
      const res = await api(s, 'POST', `/api/v1/sites/${site.id}/paths`, site.api_key, body);
      const answer = (await res.json()) as { error: { code: string; issues?: { path: string }[] } };
      expect(res.status, JSON.stringify(answer)).toBe(400);
      expect(answer.error.code).toMatch(/^invalid_(body|json)$/);
      if (path) expect(answer.error.issues?.map((i) => i.path).join(' ')).toContain(path);
    });
  }

  it('names the start kinds when the start is none of them, and refuses an oversized funnel as funnels do', async () => {
    const typo = await api(s, 'POST', `/api/v1/sites/${site.id}/paths`, site.api_key, {
      ...base,
      start: { pgae: '/' },
    });
    const t = (await typo.json()) as { error: { issues: { path: string; message: string }[] } };
    expect(typo.status).toBe(400);
    expect(t.error.issues[0]).toMatchObject({ path: 'start', message: expect.stringContaining('"funnel"') });
    const values = Array.from({ length: 100 }, (_, i) => `v${i}`);
    const filters = Array.from({ length: 20 }, () => ({ column: 'path', op: 'in', values }));
    const big = { match: [{ type: 'pageview', filters }] };
    const res = await api(
      s,
      'POST',
      `/api/v1/sites/${site.id}/paths`,
      site.api_key,
      funnel({ definition: { steps: [big, big, big] } }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('funnel_too_complex');
  });

  it('answers 401 without a key and 404 for another site', async () => {
    expect((await api(s, 'POST', `/api/v1/sites/${site.id}/paths`, undefined, base)).status).toBe(401);
    expect((await api(s, 'POST', '/api/v1/sites/nosuchsite00/paths', site.api_key, base)).status).toBe(404);
  });

  it('explains itself with explain=1: the one query, its SQL and values', async () => {
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/paths?explain=1`, site.api_key, base);
    const answer = (await res.json()) as {
      explain: { name: string; sql: string; params: Record<string, unknown> }[];
    };
    expect(answer.explain.map((e) => e.name)).toEqual(['getPathCounts']);
    expect(answer.explain[0]?.params).toMatchObject({ site: site.id });
  });
});

describe('bounds', () => {
  it('reads the first 1,000 node events after the anchor: a label past them is not seen', async () => {
    const d = 5;
    const rows = [pv(d, 'busy', 0, '/start')];
    for (let i = 1; i <= 1000; i++) rows.push(pv(d, 'busy', i, '/feed'));
    rows.push(pv(d, 'busy', 1001, '/out'));
    rows.push(pv(d, 'calm', 0, '/start'), pv(d, 'calm', 1, '/feed'), pv(d, 'calm', 2, '/out'));
    const a = await ask(d, { start: { page: '/start' }, direction: 'after', depth: 2, node: 'path' }, rows);
    expect(a.nodes).toEqual(
      nodes([0, '/start', 2, 'start'], [1, '/feed', 2], [2, '/out', 1], [2, LEFT, 1, 'end']),
    );
  });

  it('refuses a tree with more distinct prefixes than allowed: 422 too_many_paths', async () => {
    const d = 6;
    const rows = ['/a', '/b', '/c'].flatMap((p, i) => [pv(d, `w${i}`, 0, '/s'), pv(d, `w${i}`, 1, p)]);
    await insertRows(s.deps.store, rows);
    const range = { site: site.id, fromMs: dayOf(d), toMs: dayOf(d) + DAY, tz: 'UTC', from: 'f', to: 't' };
    const q = { start: { page: '/s' }, direction: 'after', node: 'path', depth: 1 } as const;
    // Prefixes: [], [/a], [/b], [/c]: four.
    const ok = await runPaths(s.deps.store.analytics, q, range, Date.now(), false, 4);
    expect(ok.units).toBe(3);
    await expect(runPaths(s.deps.store.analytics, q, range, Date.now(), false, 3)).rejects.toMatchObject({
      code: 'too_many_paths',
      status: 422,
    });
  });
});
