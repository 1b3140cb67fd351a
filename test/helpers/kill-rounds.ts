import { audit, Ledger, startLoad } from './load.ts';
import { readStored, ServerRunner, waitDrained } from './process.ts';
import { createSite } from './server.ts';
import { tempDir } from './tmp.ts';

export interface KillRoundsOptions {
  rounds: number;
  /** Environment of every server process (fault and mutation switches). */
  env?: Record<string, string>;
  /**
   * `alternate`: odd rounds make the server kill itself (SIGKILL) right after an insert and
   * before its checkpoint, the narrowest window; even rounds are killed at a random moment.
   * `all`: every round after the first kills itself after an insert.
   */
  selfKill: 'alternate' | 'all';
  /** Send unacknowledged batches again with the same ids, as the snippet does. */
  resend: boolean;
  /** Client address sent as X-Forwarded-For. */
  ip: string;
}

/**
 * Kill -9 under load, round after round, on one data directory; then a clean start that replays
 * the spool, a drain, SIGTERM, and a count of what the store holds per event id.
 */
export async function runKillRounds(o: KillRoundsOptions) {
  const dir = tempDir('funnelhouse-kill-');
  const runner = new ServerRunner(dir.path, {
    FUNNELHOUSE_FLUSH_MS: '100',
    FUNNELHOUSE_FLUSH_ROWS: '200',
    FUNNELHOUSE_SPOOL_SEGMENT_BYTES: '65536',
    ...o.env,
  });
  let p = await runner.start();
  const site = await createSite(p, 'kill rounds');
  const ledger = new Ledger(`k${Date.now().toString(36)}`);
  const kills: string[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const self = round > 0 && (o.selfKill === 'all' || round % 2 === 1);
    if (round > 0)
      p = await runner.start(self ? { FUNNELHOUSE_TEST_CRASH_AFTER_INSERTS: `${1 + (round % 3)}` } : {});
    const load = startLoad(ledger, {
      url: p.url,
      siteKey: site.site_key,
      ip: o.ip,
      concurrency: 3,
      eventsPerBatch: 10,
      maxPosts: 400,
      resend: o.resend,
    });
    // Each round is bounded by counts, not by time, so a loaded machine only makes it longer:
    // a self-killing server exits after its inserts (or the round's posts run out); another is
    // killed after ACKS_PER_ROUND more acknowledged ids, at a random moment within 600 ms.
    if (self) {
      const exit = await Promise.race([p.exited, load.done.then(() => undefined)]);
      kills.push(exit ? 'self' : 'self-never');
    } else {
      const target = ledger.acked.size + ACKS_PER_ROUND;
      while (ledger.acked.size < target && !load.finished()) await sleep(10);
      const ms = Math.floor(Math.random() * 600);
      await sleep(ms);
      kills.push(`+${ms}ms`);
    }
    await p.stop('SIGKILL');
    await load.stop();
  }
  p = await runner.start();
  if (o.resend && ledger.unacked.length > 0) {
    const n = ledger.unacked.length;
    await startLoad(ledger, {
      url: p.url,
      siteKey: site.site_key,
      ip: o.ip,
      concurrency: 1,
      maxPosts: n,
      resend: true,
    }).done;
  }
  await waitDrained(p.url);
  const exit = await p.stop('SIGTERM');
  const stored = await readStored(dir.path, site.id);
  return { audit: audit(ledger, stored.counts), kills, exit, runner, stored, dir, ledger };
}

/** Acknowledged ids a randomly killed round waits for: 6 such rounds of 12 exceed 2 000. */
const ACKS_PER_ROUND = 350;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
