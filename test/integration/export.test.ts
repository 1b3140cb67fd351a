import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPages } from '../../server/src/api/export-pages.ts';
import { BROWSER_UA, createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { daysAgo, postEvents, serverPageview } from '../helpers/server-events.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const sent: ReturnType<typeof serverPageview>[] = [];

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'export');
  const other = await createSite(s, 'other');
  // 5 days × 60 events, several sharing a millisecond (the keyset must order them by id).
  for (let d = 5; d >= 1; d--) {
    const base = daysAgo(d, 10).ms;
    for (let i = 0; i < 60; i++) {
      sent.push(
        serverPageview(base + Math.floor(i / 3) * 1000, {
          id: `d${d}-${String(i).padStart(3, '0')}`,
          title: i % 7 === 0 ? 'Quote " comma , newline \n and ünïcode' : `Page ${i}`,
          props: { n: i, even: i % 2 === 0 },
          user_agent: BROWSER_UA,
          country: 'FR',
        }),
      );
    }
  }
  expect((await postEvents(s, site.id, site.api_key, sent)).body.accepted).toBe(300);
  await postEvents(s, other.id, other.api_key, [serverPageview(daysAgo(2).ms, { id: 'not-mine' })]);
});
afterAll(() => s.destroy());

function exportUrl(format: string, from = daysAgo(10).day, to = daysAgo(0).day) {
  return `${s.url}/api/v1/sites/${site.id}/events/export?from=${from}&to=${to}&format=${format}`;
}

async function fetchExport(format: string): Promise<string> {
  const res = await fetch(exportUrl(format), { headers: { authorization: `Bearer ${site.api_key}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('GET /api/v1/sites/:siteId/events/export', () => {
  it('streams every event of the site once, in (ts, event_id) order, with its fields', async () => {
    const lines = (await fetchExport('ndjson')).trimEnd().split('\n');
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const want = [...sent].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    expect(rows.map((r) => r.event_id)).toEqual(want.map((e) => e.id));
    rows.forEach((r, i) => {
      const e = want[i];
      expect(r).toMatchObject({
        ts: new Date(e?.ts ?? 0).toISOString(),
        type: 'pageview',
        title: e?.title,
        url: e?.url,
        visitor_id: e?.visitor_id,
        source: 'server',
        browser: 'Chrome',
        country: 'FR',
        props: { n: String(e?.props?.n), even: String(e?.props?.even) },
      });
    });
  });

  it('gives the same records as CSV, quoted so that commas, quotes and newlines survive', async () => {
    const ndjson = (await fetchExport('ndjson'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const csv = parse(await fetchExport('csv'), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(ndjson.length);
    csv.forEach((rec, i) => {
      const row = ndjson[i] ?? {};
      for (const [k, v] of Object.entries(row)) {
        const cell = rec[k];
        if (typeof v === 'object') expect(JSON.parse(cell ?? '')).toEqual(v);
        else expect(cell).toBe(String(v));
      }
    });
  });

  it('pages by keyset without losing or repeating rows, whatever the page size', async () => {
    const all = async (pageSize: number) => {
      const ids: string[] = [];
      for await (const page of eventPages(s.deps.store, {
        site: site.id,
        fromMs: daysAgo(10).ms,
        toMs: Date.now(),
        pageSize,
      })) {
        expect(page.rows).toBeLessThanOrEqual(pageSize);
        const lines = page.text.trimEnd().split('\n');
        expect(lines).toHaveLength(page.rows);
        ids.push(...lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id));
      }
      return ids;
    };
    const big = await all(5000);
    expect(big).toHaveLength(300);
    expect(await all(7)).toEqual(big);
    expect(await all(3)).toEqual(big); // pages that end inside a run of equal timestamps
  });

  it('is site-scoped: another site key gets 404, a bad format 400', async () => {
    const other = await createSite(s, 'third');
    const res = await fetch(exportUrl('ndjson'), { headers: { authorization: `Bearer ${other.api_key}` } });
    expect(res.status).toBe(404);
    const bad = await fetch(exportUrl('xml'), { headers: { authorization: `Bearer ${site.api_key}` } });
    expect(bad.status).toBe(400);
    expect(await fetchExport('ndjson')).not.toContain('not-mine');
  });
});
