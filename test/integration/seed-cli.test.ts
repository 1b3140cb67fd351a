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
    expect(out).toContain(`/api/v1/sites/SITE_ID/overview?from=`);

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
