import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysIn, previousRange, resolveRange, todayIn } from './range.ts';
import { parseRoute, type Route, routeToSearch, SEGMENT_COLUMNS, VIEWS, viewZone } from './route.ts';

const day = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const text = fc.string({ minLength: 1, maxLength: 40 });

const route: fc.Arbitrary<Route> = fc
  .record({
    view: fc.constantFrom(...VIEWS),
    site: fc.option(text, { nil: undefined }),
    range: fc.constantFrom('today', '7d', '30d', 'month', 'custom' as const),
    from: day,
    to: day,
    tz: fc.option(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'), {
      nil: undefined,
    }),
    compare: fc.boolean(),
    funnel: fc.option(text, { nil: undefined }),
    def: fc.option(text, { nil: undefined }),
    breakdown: fc.option(text, { nil: undefined }),
    insight: fc.option(text, { nil: undefined }),
    steps: fc.option(text, { nil: undefined }),
    exp: fc.option(text, { nil: undefined }),
    status: fc.option(text, { nil: undefined }),
    sort: fc.option(text, { nil: undefined }),
    order: fc.option(text, { nil: undefined }),
    page: fc.option(text, { nil: undefined }),
    by: fc.option(text, { nil: undefined }),
    bexp: fc.option(text, { nil: undefined }),
    target: fc.option(text, { nil: undefined }),
    adim: fc.option(text, { nil: undefined }),
    ashow: fc.option(text, { nil: undefined }),
    psort: fc.option(text, { nil: undefined }),
    porder: fc.option(text, { nil: undefined }),
    ppage: fc.option(text, { nil: undefined }),
    segment: fc.dictionary(fc.constantFrom(...SEGMENT_COLUMNS), text),
  })
  .map((r) => {
    // Dates travel only with a custom range; undefined fields are absent.
    const out = { ...r, segment: { ...r.segment } } as Record<string, unknown>;
    if (r.range !== 'custom') {
      delete out.from;
      delete out.to;
    }
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as unknown as Route;
  });

describe('the URL holds the view', () => {
  it('round-trips every state the dashboard makes', () => {
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(routeToSearch(r))).toEqual(r);
      }),
    );
  });

  it('falls back to defaults for unknown or bad values', () => {
    const r = parseRoute('?view=nope&range=99d&from=2026-13-45&tz=Mars/Olympus&compare=0');
    expect(r).toMatchObject({ view: 'overview', range: '7d', compare: false, segment: {} });
    expect(r.from).toBeUndefined();
    expect(r.tz).toBeUndefined();
  });

  it("is in the URL's zone, else the site's, else the browser's", () => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(viewZone(parseRoute('?tz=Asia/Kolkata'), 'Europe/Berlin')).toBe('Asia/Kolkata');
    expect(viewZone(parseRoute('?view=overview'), 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(routeToSearch(parseRoute('?view=overview'))).not.toContain('tz=');
    expect(viewZone(parseRoute(''), 'Mars/Olympus')).toBe(browser);
    expect(viewZone(parseRoute(''), undefined)).toBe(browser);
  });
});

describe('ranges in a zone', () => {
  const now = Date.parse('2026-03-29T22:30:00Z'); // 2026-03-30 in Berlin (DST began that day)

  it('resolves presets to whole days of the zone', () => {
    expect(todayIn('Europe/Berlin', now)).toBe('2026-03-30');
    expect(todayIn('UTC', now)).toBe('2026-03-29');
    expect(resolveRange('today', 'Europe/Berlin', {}, now)).toEqual({
      from: '2026-03-30',
      to: '2026-03-30',
      tz: 'Europe/Berlin',
    });
    expect(resolveRange('7d', 'UTC', {}, now)).toEqual({ from: '2026-03-23', to: '2026-03-29', tz: 'UTC' });
    expect(resolveRange('30d', 'UTC', {}, now).from).toBe('2026-02-28');
    expect(resolveRange('month', 'Europe/Berlin', {}, now)).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-30',
    });
    expect(resolveRange('custom', 'UTC', { from: '2026-02-10', to: '2026-02-01' }, now)).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-10',
    });
  });

  it('the previous period has the same length and ends the day before', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, extra) => {
        const r = { from, to: addDays(from, extra), tz: 'UTC' };
        const p = previousRange(r);
        expect(daysIn(p.from, p.to)).toBe(daysIn(r.from, r.to));
        expect(addDays(p.to, 1)).toBe(r.from);
      }),
    );
  });
});
