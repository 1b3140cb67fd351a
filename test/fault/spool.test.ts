import { readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { listSegments, scanRecords, segmentPath } from '@funnelhouse/server';
import { afterAll, describe, expect, it } from 'vitest';
import { findText } from '../helpers/ip-search.ts';
import { audit, expectExactlyOnce, Ledger, printFigures, startLoad } from '../helpers/load.ts';
import { readStored, ServerRunner, waitDrained } from '../helpers/process.ts';
import { createSite, postCollect } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

const IP = '81.2.69.178';
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function setup(env: Record<string, string> = {}) {
  const dir = tempDir('funnelhouse-spool-fault-');
  cleanup.push(dir.remove);
  const flag = `${dir.path}/test-fail-inserts`;
  return {
    dir: dir.path,
    spoolDir: `${dir.path}/spool`,
    runner: new ServerRunner(dir.path, { FUNNELHOUSE_TEST_FAIL_INSERTS: '1', ...env }),
    storeDown: () => writeFileSync(flag, ''),
    storeUp: () => rmSync(flag, { force: true }),
  };
}

/** Posts one fresh batch and records the answer in the ledger. */
async function postBatch(url: string, siteKey: string, ledger: Ledger, size = 10) {
  const events = ledger.newBatch(size);
  const res = await postCollect({ url }, { site: siteKey, sent_at: Date.now(), events }, { ip: IP });
  ledger.count(String(res.status));
  ledger.sequence.push(res.status);
  if (res.status === 202) for (const e of events) ledger.acked.add(e.id);
  return { res, ids: events.map((e) => e.id) };
}

describe('torn spool tail', () => {
  it.each(['truncated', 'garbled'])(
    'discards a %s last record and replays the ones before it',
    async (how) => {
      const t = setup();
      t.storeDown(); // keep every record in the spool
      let p = await t.runner.start();
      const site = await createSite(p);
      const ledger = new Ledger(`torn-${how}`);
      for (let i = 0; i < 5; i++)
        expect((await postBatch(p.url, site.site_key, ledger)).res.status).toBe(202);
      await p.stop('SIGKILL');

      const seg = segmentPath(t.spoolDir, (await listSegments(t.spoolDir)).at(-1) as number);
      const scan = scanRecords<{ event_id: string }>(readFileSync(seg));
      expect(scan.records).toHaveLength(5);
      const last = scan.records[4] as (typeof scan.records)[number];
      if (how === 'truncated') truncateSync(seg, last.end - 7);
      else {
        const buf = readFileSync(seg);
        buf[last.offset + 20] = (buf[last.offset + 20] as number) ^ 0x5a; // a byte of the payload
        writeFileSync(seg, buf);
      }
      const torn = new Set(last.rows.map((r) => r.event_id));

      t.storeUp();
      p = await t.runner.start();
      await waitDrained(p.url);
      await p.stop('SIGTERM');
      const stored = await readStored(t.dir, site.id);
      // The torn record stands for a write that was never acknowledged: drop it from the ledger.
      for (const id of torn) ledger.acked.delete(id);
      const a = audit(ledger, stored.counts);
      printFigures(`torn tail (${how})`, a);
      expect(a.stored).toBe(40);
      expect(
        [...torn].filter((id) => stored.counts.has(id)),
        'torn record stored',
      ).toEqual([]);
      expectExactlyOnce(a);
      expect(t.runner.logs).toContain('spool: discarded a torn record');
    },
    60_000,
  );
});

describe('refusing what cannot be kept', () => {
  it('answers 503 with Retry-After at the spool cap, never drops, and accepts again after draining', async () => {
    const t = setup({ FUNNELHOUSE_SPOOL_MAX_BYTES: '40000' });
    t.storeDown();
    let p = await t.runner.start();
    const site = await createSite(p);
    const ledger = new Ledger('cap');
    let refused: Awaited<ReturnType<typeof postBatch>> | undefined;
    for (let i = 0; i < 100 && !refused; i++) {
      const r = await postBatch(p.url, site.site_key, ledger);
      if (r.res.status !== 202) refused = r;
    }
    if (!refused) throw new Error('the cap was never reached');
    expect(
      ledger.sequence.slice(0, -1).every((s) => s === 202),
      'only 202 before the cap',
    ).toBe(true);
    expect(ledger.acked.size).toBeGreaterThanOrEqual(30);
    expect(refused.res.status).toBe(503);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    const again = await postBatch(p.url, site.site_key, ledger);
    expect(again.res.status).toBe(503);

    t.storeUp();
    await waitDrained(p.url);
    expect((await postBatch(p.url, site.site_key, ledger)).res.status).toBe(202);
    await p.stop('SIGTERM');
    const stored = await readStored(t.dir, site.id);
    const a = audit(ledger, stored.counts);
    printFigures('spool cap', a);
    expectExactlyOnce(a);
    expect(
      [...refused.ids, ...again.ids].filter((id) => stored.counts.has(id)),
      'refused but stored',
    ).toEqual([]);
    p = await t.runner.start(); // and the directory is healthy for the next start
    await p.stop('SIGTERM');
  }, 60_000);

  it('answers 503 with Retry-After when the disk refuses the write, then carries on', async () => {
    const t = setup();
    let p = await t.runner.start();
    const site = await createSite(p);
    const ledger = new Ledger('disk');
    expect((await postBatch(p.url, site.site_key, ledger)).res.status).toBe(202);
    await p.stop('SIGTERM');
    p = await t.runner.start();
    // The process appends to a new segment, numbered after the highest on disk: make it a full disk.
    const next = Math.max(0, ...(await listSegments(t.spoolDir))) + 1;
    symlinkSync('/dev/full', segmentPath(t.spoolDir, next));
    const refused = await postBatch(p.url, site.site_key, ledger);
    expect(refused.res.status).toBe(503);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await postBatch(p.url, site.site_key, ledger)).res.status).toBe(202);
    await waitDrained(p.url);
    await p.stop('SIGTERM');
    const stored = await readStored(t.dir, site.id);
    const a = audit(ledger, stored.counts);
    printFigures('disk full', a);
    expect(a.stored).toBe(20);
    expectExactlyOnce(a);
    expect(t.runner.logs).toContain('spool write failed');
  }, 60_000);
});

describe('SIGTERM under load', () => {
  it('finishes in-flight requests, flushes the spool and exits 0 within 10 s, losing nothing', async () => {
    const t = setup({ FUNNELHOUSE_FLUSH_MS: '1000' });
    const p = await t.runner.start();
    const site = await createSite(p);
    const ledger = new Ledger('term');
    const load = startLoad(ledger, {
      url: p.url,
      siteKey: site.site_key,
      ip: IP,
      concurrency: 4,
      maxPosts: 3000,
    });
    // Under load means acknowledged events before the signal: waited for by count, not by time,
    // so a slow machine only makes the wait longer (the load's maxPosts bounds it).
    while (ledger.acked.size < 200 && !load.finished()) await new Promise((r) => setTimeout(r, 20));
    expect(ledger.acked.size, 'the load ran').toBeGreaterThanOrEqual(200);
    const started = Date.now();
    const exit = await p.stop('SIGTERM');
    const took = Date.now() - started;
    await load.stop();
    // main.ts exits 1 when shutdown takes longer than 10 s, so exit code 0 is the deadline kept.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(t.runner.logs).toMatch(/"msg":"spool closed","pending_records":0,"pending_bytes":0/);
    const stored = await readStored(t.dir, site.id);
    const a = audit(ledger, stored.counts);
    printFigures(`SIGTERM under load (exit after ${took} ms)`, a);
    expectExactlyOnce(a);
    expect(Object.keys(a.statuses).filter((s) => s.startsWith('5') && s !== '503')).toEqual([]);

    // The client address was used (country) and written nowhere: data dir, logs, rows.
    expect(stored.rowsJson).toContain('"country":"GB"');
    expect(findText(t.dir, IP, { logs: t.runner.logs, rows: stored.rowsJson })).toEqual([]);
  }, 300_000);
});
