import { afterAll, describe, expect, it } from 'vitest';
import { findText } from '../helpers/ip-search.ts';
import { runKillRounds } from '../helpers/kill-rounds.ts';
import { expectExactlyOnce, printFigures } from '../helpers/load.ts';

const IP = '81.2.69.177';
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

describe('kill -9 under load', () => {
  it('stores every acknowledged id exactly once after 12 kill -9 rounds', async () => {
    const r = await runKillRounds({ rounds: 12, selfKill: 'alternate', resend: true, ip: IP });
    cleanup.push(r.dir.remove);
    printFigures('kill -9 x12', r.audit);
    process.stdout.write(`[figures] kill -9 rounds: ${r.kills.join(' ')}\n`);
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.audit.acknowledged, 'the load ran').toBeGreaterThan(2000);
    expect(r.kills.filter((k) => k === 'self').length, 'self-kills after an insert happened').toBe(6);
    expectExactlyOnce(r.audit);
    const fivexx = Object.keys(r.audit.statuses).filter((s) => s.startsWith('5'));
    expect(fivexx, 'no 5xx while the store is up').toEqual([]);

    // The client address went through enrichment (country) but was written nowhere.
    expect(r.stored.rowsJson).toContain('"country":"GB"');
    expect(findText(r.dir.path, IP, { logs: r.runner.logs, rows: r.stored.rowsJson })).toEqual([]);
  }, 900_000);
});
