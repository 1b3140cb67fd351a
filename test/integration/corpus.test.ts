import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseBody, casePath, importText, type Tokens } from '../corpus/fill.ts';
import { buildCorpus, serialize, summary } from '../corpus/generate.ts';
import type { CorpusCase, Readback } from '../corpus/types.ts';
import { admin, api } from '../helpers/api.ts';
import { runImportCli } from '../helpers/import-cli.ts';
import { droppedFor, metricValue } from '../helpers/metrics.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { countRows } from '../helpers/rows.ts';
import { ADMIN_KEY, BROWSER_UA, createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

const FILE = new URL('../corpus/hostile.json', import.meta.url);
const cases = JSON.parse(readFileSync(FILE, 'utf8')) as CorpusCase[];
const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();

let s: TestServer;
const files = tempDir('funnelhouse-corpus-');
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.destroy();
  files.remove();
});

describe('the hostile corpus', () => {
  it('is the generator output, with at least 200 cases in every class', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(serialize(buildCorpus()));
    const counts = summary(cases);
    expect(counts.total).toBeGreaterThanOrEqual(200);
    for (const cls of [
      'invalid',
      'hostile_text',
      'policy_drop',
      'prototype',
      'formula_cell',
      'forged_forwarding',
      'id_squatting',
      're2_syntax',
      'oversized_definition',
      'quadratic_text',
      'secret_url',
      'partial_batch',
      'import_bytes',
      'import_proto',
      'tenant_starvation',
      'regex_compile_main',
      'undefined_variant_flood',
      'scrub_encoded',
      'money_overflow',
    ])
      expect(counts[cls]).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [`${c.class}: ${c.name}`, c] as const))('%s', async (_label, c) => {
    const site = await createSite(s, c.name.slice(0, 200));
    if (c.site) expect((await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, c.site)).status).toBe(200);
    const reason = c.expect.drop_reason;
    const droppedBefore = reason ? await droppedFor(s, reason) : 0;
    const rejectedBefore = await rejectedCounts(c.expect.rejected ?? []);
    const tokens = {
      now: Date.now(),
      siteKey: site.site_key,
      siteId: site.id,
      apiKey: site.api_key,
      adminKey: ADMIN_KEY,
    };
    if (c.import) return runImportCase(c, site, tokens);
    for (const b of c.before ?? []) {
      const r = await send(b.path, {}, caseBody(b, tokens), 'POST', site.api_key, tokens);
      expect(r.status, `before ${b.path ?? '/collect'}: ${r.text}`).toBeLessThan(300);
    }
    const res = await send(
      c.path,
      c.headers ?? {},
      caseBody(c, tokens),
      c.method ?? 'POST',
      site.api_key,
      tokens,
    );
    const answer = JSON.parse(res.text) as {
      accepted?: number;
      dropped?: number;
      dropped_by_reason?: Record<string, number>;
      error?: { code: string };
    };

    expect(res.status).toBe(c.expect.status);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (c.expect.outcome === 'rejected') {
      expect(answer.error?.code).toBe(c.expect.code);
      expect(await countRows(s, site.id)).toBe(0);
      expect(await savedFunnels(site)).toBe(0);
      return;
    }
    if (c.expect.answer !== undefined) expect(answer).toMatchObject(c.expect.answer as object);
    else {
      const dropped = c.expect.dropped ?? 0;
      const policy = c.expect.outcome === 'dropped' && reason ? { [reason]: dropped } : {};
      expect(answer).toMatchObject({
        accepted: c.expect.accepted,
        dropped,
        dropped_by_reason: policy,
        rejected: c.expect.rejected ?? [],
      });
      expect(answer.dropped_by_reason).toEqual(policy);
      const after = await rejectedCounts(c.expect.rejected ?? []);
      for (const [code, n] of after)
        expect(n - (rejectedBefore.get(code) ?? 0), code).toBe(
          (c.expect.rejected ?? []).filter((r) => r.code === code).length,
        );
    }
    if (c.expect.outcome === 'dropped') {
      expect(await countRows(s, site.id)).toBe(0);
      expect((await droppedFor(s, reason ?? '')) - droppedBefore).toBe(c.expect.dropped);
      return;
    }
    await checkReadback(site, c.expect.readback ?? [], c.expect.rows ?? c.expect.accepted ?? 0);
    if (c.expect.export_csv) await checkCsvExport(site, c.expect.export_csv);
  });
});

/**
 * An import case: the file written, the real import CLI run on it into the case's site; its exit
 * code, summary and rejects file checked, then the rows stored.
 */
async function runImportCase(c: CorpusCase, site: { id: string; api_key: string }, tokens: Tokens) {
  const spec = c.import;
  const want = c.expect.import;
  if (!spec || !want) throw new Error(`${c.name}: an import case needs import and expect.import`);
  const file = join(files.path, `${site.id}.${spec.format}`);
  writeFileSync(file, importText({ import: spec }, tokens));
  const run = await runImportCli(s, site, file, { format: spec.format });
  expect(run.exit, run.stderr).toBe(c.expect.status);
  expect(run.summary).toMatchObject({
    complete: true,
    stored: want.stored,
    rejected_by_code: want.rejected_by_code,
  });
  expect(run.rejects.map((r) => ({ line: r.line, code: r.code }))).toEqual(want.rejects);
  for (const r of run.rejects) expect(r.message).not.toBe('');
  if (want.max_rss_mb) expect(run.summary?.max_rss_mb).toBeLessThan(want.max_rss_mb);
  expect(await countRows(s, site.id)).toBe(c.expect.rows ?? want.stored);
}

/** `funnelhouse_events_rejected_total` for each code of `list`. */
async function rejectedCounts(list: { code: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { code } of list) {
    out.set(code, await metricValue(s, 'funnelhouse_events_rejected_total', `code="${code}"`));
  }
  return out;
}

/** One request of a case: to `/collect` as a browser posts, or to an API route with the secret key. */
function send(
  path: string | undefined,
  extra: Record<string, string | null>,
  body: Buffer | undefined,
  method: string,
  apiKey: string,
  tokens: Tokens,
) {
  const headers: Record<string, string> =
    path === undefined
      ? { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER_UA }
      : { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  for (const [k, v] of Object.entries(extra)) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return rawRequest(s.url, {
    method,
    path: path === undefined ? '/collect' : casePath(path, tokens),
    headers,
    body,
  });
}

async function savedFunnels(site: { id: string; api_key: string }): Promise<number> {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}/funnels`, site.api_key);
  return ((await res.json()) as { funnels: unknown[] }).funnels.length;
}

/** Reads the site's events through the API and compares each listed column exactly. */
async function checkReadback(site: { id: string; api_key: string }, readback: Readback[], n: number) {
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/events?from=2020-01-01&to=2029-12-31&limit=1000`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const { events } = (await res.json()) as { events: Record<string, unknown>[] };
  expect(events).toHaveLength(n);
  for (const r of readback) {
    const row = events.find((e) => e.event_id === r.event_id && (!r.source || e.source === r.source)) ?? {};
    expect(row.event_id, `event ${r.event_id}`).toBe(r.event_id);
    const map = /^(props|experiments)\.(.*)$/s.exec(r.column);
    const actual = map ? (row[map[1] as string] as Record<string, unknown>)[map[2] as string] : row[r.column];
    expect(actual, r.column).toEqual(r.value);
    if (typeof r.value === 'string')
      expect(Buffer.from(String(actual)).equals(Buffer.from(r.value))).toBe(true);
  }
}

/** Reads the site's CSV export (today ± a day) and compares each listed cell exactly. */
async function checkCsvExport(site: { id: string; api_key: string }, cells: Readback[]) {
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/events/export?from=${day(-1)}&to=${day(1)}&format=csv`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const records = parse(await res.text(), { columns: true }) as Record<string, string>[];
  for (const cell of cells) {
    const row = records.find((r) => r.event_id === cell.event_id);
    expect(row?.[cell.column], `${cell.event_id} ${cell.column}`).toBe(cell.value);
  }
}
