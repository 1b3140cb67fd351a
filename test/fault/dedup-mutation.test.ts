import { afterAll, describe, expect, it } from 'vitest';
import { runKillRounds } from '../helpers/kill-rounds.ts';
import { expectExactlyOnce, printFigures } from '../helpers/load.ts';

/**
 * Mutation check for the kill -9 test: with the deduplication switched off (test-only switch
 * FUNNELHOUSE_TEST_DEDUP_OFF) the same scenario must produce duplicates that `expectExactlyOnce`
 * reports; with either layer alone it must still pass. Every round after the first kills the
 * server right after an insert and before its checkpoint, so each restart replays a range that
 * is already stored.
 *
 * Two layers guard against replays: the range's insert_deduplication_token (`token`) and the
 * first-version-wins filter on stored ids (`ids`), which also covers a client resending a batch
 * whose answer was lost. `token` off sends a random token per attempt: merely leaving the token
 * out would let ClickHouse drop the byte-identical replay by its block hash.
 */
const IP = '81.2.69.177';
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

describe('mutation: the kill -9 check fails without deduplication', () => {
  it('finds duplicates when the token and the id filter are both off', async () => {
    const r = await runKillRounds({
      rounds: 3,
      selfKill: 'all',
      resend: false,
      ip: IP,
      env: { FUNNELHOUSE_TEST_DEDUP_OFF: 'token,ids' },
    });
    cleanup.push(r.dir.remove);
    printFigures('mutation token+ids off', r.audit);
    expect(r.audit.duplicated).toBeGreaterThan(0);
    expect(() => expectExactlyOnce(r.audit)).toThrow(/stored more than once/);
  }, 600_000);

  it('stays exactly once with the token alone (id filter off, no client resends)', async () => {
    const r = await runKillRounds({
      rounds: 3,
      selfKill: 'all',
      resend: false,
      ip: IP,
      env: { FUNNELHOUSE_TEST_DEDUP_OFF: 'ids' },
    });
    cleanup.push(r.dir.remove);
    printFigures('mutation ids off (token on)', r.audit);
    expectExactlyOnce(r.audit);
  }, 600_000);

  it('stays exactly once with the id filter alone (token off, clients resend)', async () => {
    const r = await runKillRounds({
      rounds: 3,
      selfKill: 'all',
      resend: true,
      ip: IP,
      env: { FUNNELHOUSE_TEST_DEDUP_OFF: 'token' },
    });
    cleanup.push(r.dir.remove);
    printFigures('mutation token off (ids on)', r.audit);
    expectExactlyOnce(r.audit);
  }, 600_000);
});
