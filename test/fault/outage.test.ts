import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findText } from '../helpers/ip-search.ts';
import { audit, expectExactlyOnce, Ledger, printFigures, startLoad } from '../helpers/load.ts';
import { metric, readStored, ServerRunner, waitDrained } from '../helpers/process.ts';
import { createSite } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

const IP = '81.2.69.179';
const OUTAGE_MS = 60_000;
const dir = tempDir('funnelhouse-outage-');
afterAll(() => dir.remove());

describe('store unavailable', () => {
  it('accepts for 60 s while every insert fails, then stores everything exactly once', async () => {
    const flag = `${dir.path}/test-fail-inserts`;
    const runner = new ServerRunner(dir.path, {
      FUNNELHOUSE_TEST_FAIL_INSERTS: '1',
      FUNNELHOUSE_FLUSH_MS: '200',
    });
    const p = await runner.start();
    const site = await createSite(p);
    const ledger = new Ledger('outage');
    writeFileSync(flag, ''); // the store is down from here
    const load = startLoad(ledger, {
      url: p.url,
      siteKey: site.site_key,
      ip: IP,
      concurrency: 2,
      eventsPerBatch: 10,
      pauseMs: 100,
      maxPosts: 2000,
    });
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // And at least 201 accepted requests (10 ids each) spooled, however slow the machine was.
    while (ledger.acked.size < 2010 && !load.finished()) await new Promise((r) => setTimeout(r, 50));
    const during = {
      failedFlushes: await metric(p.url, 'funnelhouse_flushes_total{result="error"}'),
      flushedRows: await metric(p.url, 'funnelhouse_flushed_rows_total'),
      pendingRecords: await metric(p.url, 'funnelhouse_spool_pending_records'),
      pendingBytes: await metric(p.url, 'funnelhouse_spool_pending_bytes'),
    };
    process.stdout.write(`[figures] during the outage: ${JSON.stringify(during)}\n`);
    expect(during.failedFlushes, 'inserts really failed').toBeGreaterThan(5);
    expect(during.flushedRows, 'nothing reached the store').toBe(0);
    expect(during.pendingRecords).toBeGreaterThan(200);
    // The spool now holds every accepted row: the client address must not be among them, while
    // an event id (positive control) is found in the same files by the same search.
    const [someId] = ledger.acked;
    expect(findText(`${dir.path}/spool`, String(someId)).length, 'control: ids are in the spool').toBe(1);
    expect(findText(dir.path, IP), 'client IP in the data dir during the outage').toEqual([]);

    rmSync(flag); // the store is back; the load goes on for a while during the drain
    await new Promise((r) => setTimeout(r, 3000));
    await load.stop();
    await waitDrained(p.url);
    expect(await metric(p.url, 'funnelhouse_flushed_rows_total')).toBe(ledger.acked.size);
    const exit = await p.stop('SIGTERM');
    expect(exit.code).toBe(0);

    const stored = await readStored(dir.path, site.id);
    const a = audit(ledger, stored.counts);
    printFigures('store down 60 s', a);
    expect(
      Object.keys(a.statuses).filter((s) => !['202'].includes(s)),
      'only 202 below the cap',
    ).toEqual([]);
    expectExactlyOnce(a);
    expect(a.stored).toBe(a.acknowledged);
    expect(findText(dir.path, IP, { logs: runner.logs, rows: stored.rowsJson })).toEqual([]);
    expect(runner.logs).toContain('store writable again');
  }, 600_000);
});
