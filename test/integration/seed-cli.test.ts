import type { OverviewResponse } from '@funnelhouse/schemas';
import { runSeed } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../helpers/overview-oracle.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

async function seed(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runSeed(args, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('pnpm seed', () => {
  it('posts traffic through /collect and the overview shows what it accepted', async () => {
    const site = await createSite(s, 'cli');
    const { code, out } = await seed([
      '--url',
      s.url,
      '--site-key',
      site.site_key,
      '--visitors',
      '60',
      '--seed',
      '3',
    ]);
    expect(code).toBe(0);
    const m = /events +(\d+) sent, (\d+) accepted, (\d+) dropped \(crawler events: (\d+)\)/.exec(out);
    if (!m) throw new Error(`no events line in:\n${out}`);
    const [sent, accepted, dropped, crawler] = m.slice(1).map(Number) as [number, number, number, number];
    expect(accepted).toBeGreaterThan(100);
    expect(accepted + dropped).toBe(sent);
    expect(dropped).toBe(crawler);
    expect(out).toMatch(/cta-color: true checkout → purchase rate red 40\.0 %, green 50\.0 %/);
    expect(out).toContain(`/api/v1/sites/SITE_ID/overview?range=7d`);

    const today = Date.now();
    const q = new URLSearchParams({
      from: localDay(today - 3 * 86_400_000, 'UTC'),
      to: localDay(today, 'UTC'),
    });
    const res = await fetch(`${s.url}/api/v1/sites/${site.id}/overview?${q}`, {
      headers: { authorization: `Bearer ${site.api_key}` },
    });
    const o = (await res.json()) as OverviewResponse;
    expect(o.totals.events).toBe(accepted);
    expect(o.top.countries.length).toBeGreaterThan(2);
    // The summary says what the overview shows (crawlers' sessions were counted once, not now).
    const shown = /the overview will show (\d+) visitors, (\d+) sessions/.exec(out);
    expect(shown?.slice(1).map(Number)).toEqual([o.totals.visitors, o.totals.sessions]);
  });

  it('--days N spreads traffic over N days: history through the server events API, shown on its own days', async () => {
    const site = await createSite(s, 'days');
    const args = [
      '--url',
      s.url,
      '--site-key',
      site.site_key,
      '--site',
      site.id,
      '--visitors',
      '120',
      '--seed',
      '5',
    ];
    const { code, out } = await seed([...args, '--days', '10', '--key', site.api_key]);
    expect(code).toBe(0);
    expect(out).toMatch(/last 240 hours/);
    const hist = /history +(\d+) events before the last 47 hours/.exec(out);
    expect(Number(hist?.[1])).toBeGreaterThan(100);
    const m = /events +(\d+) sent, (\d+) accepted, (\d+) dropped \(crawler events: (\d+)\)/.exec(out);
    if (!m) throw new Error(`no events line in:\n${out}`);
    const [sent, accepted, dropped, crawler] = m.slice(1).map(Number) as [number, number, number, number];
    expect(accepted + dropped).toBe(sent);
    expect(dropped).toBe(crawler);

    const q = new URLSearchParams({
      from: localDay(Date.now() - 11 * 86_400_000, 'UTC'),
      to: localDay(Date.now(), 'UTC'),
    });
    const get = async () =>
      (await (
        await fetch(`${s.url}/api/v1/sites/${site.id}/overview?${q}`, {
          headers: { authorization: `Bearer ${site.api_key}` },
        })
      ).json()) as OverviewResponse;
    const o = await get();
    expect(o.totals.events).toBe(accepted);
    const threeDaysAgo = localDay(Date.now() - 3 * 86_400_000, 'UTC');
    const oldDays = o.daily.filter((d) => d.day < threeDaysAgo && d.pageviews > 0);
    expect(oldDays.length).toBeGreaterThanOrEqual(6);
    expect(o.top.countries.length).toBeGreaterThan(2); // history carried the visitors' addresses
    expect(o.top.browsers.length).toBeGreaterThan(1); // and user agents

    // the same seed again resends the same ids: nothing new is stored
    const again = await seed([...args, '--days', '10', '--key', site.api_key]);
    expect(again.code).toBe(0);
    expect((await get()).totals.events).toBe(accepted);
  });

  it('--days without a key says what it needs', async () => {
    const site = await createSite(s, 'nokey');
    const { code, out } = await seed([
      '--url',
      s.url,
      '--site-key',
      site.site_key,
      '--site',
      site.id,
      '--days',
      '5',
      '--visitors',
      '20',
    ]);
    expect(code).toBe(2);
    expect(out).toMatch(/--days needs a secret API key/);
  });

  it('says when the site key is unknown, and exits 1', async () => {
    const { code, out } = await seed(['--url', s.url, '--site-key', 'fhs_nope', '--visitors', '3']);
    expect(code).toBe(1);
    expect(out).toMatch(/401 unknown_site_key/);
    expect(out).toMatch(/site key "fhs_nope" is unknown/);
  });

  it('says when no server answers, and exits 1', async () => {
    const { code, out } = await seed(['--url', 'http://127.0.0.1:9', '--visitors', '3']);
    expect(code).toBe(1);
    expect(out).toMatch(/No Funnelhouse server answers at http:\/\/127\.0\.0\.1:9/);
  });

  it('refuses bad flags with the usage text, and exits 2', async () => {
    const { code, out } = await seed(['--visitors', 'many']);
    expect(code).toBe(2);
    expect(out).toMatch(/--visitors: /);
    expect(out).toMatch(/Usage: pnpm seed/);
    expect((await seed(['--colour', 'red'])).code).toBe(2);
  });
});
