import type { CollectEvent } from '@funnelhouse/schemas';
import { expect } from 'vitest';
import { BROWSER_UA } from './server.ts';

/**
 * Everything a load run sent and what the server acknowledged, kept across server restarts.
 * Batches that got no 202 are queued to be sent again with the same ids, as the snippet does.
 */
export class Ledger {
  readonly sent = new Set<string>();
  readonly acked = new Set<string>();
  readonly statuses = new Map<string, number>();
  /** Batches without a 202, in the order they failed. */
  unacked: CollectEvent[][] = [];
  /** Statuses of every answer, in order (to check that no 5xx came before the first 503). */
  readonly sequence: number[] = [];
  /** Batches sent again after a post without a 202. */
  resent = 0;
  private n = 0;

  constructor(readonly prefix: string) {}

  /** A fresh batch of pageviews with unique ids; one in four is cookieless (no visitor id). */
  newBatch(size: number): CollectEvent[] {
    return Array.from({ length: size }, () => {
      const i = this.n++;
      const id = `${this.prefix}-${i}`;
      this.sent.add(id);
      return {
        id,
        type: 'pageview',
        ts: Date.now() - 500,
        url: `https://shop.example/p/${i % 50}`,
        ...(i % 4 === 0 ? {} : { visitor_id: `v-${i % 97}`, session_id: `s-${i % 97}` }),
      } as CollectEvent;
    });
  }

  count(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }
}

export interface LoadOptions {
  url: string;
  siteKey: string;
  /** Sent as X-Forwarded-For (the server trusts the proxy in these tests). */
  ip: string;
  concurrency?: number;
  eventsPerBatch?: number;
  /** Pause of each worker between posts. */
  pauseMs?: number;
  /** Bound on posts per run, whatever happens. */
  maxPosts?: number;
  /** Send the ledger's unacknowledged batches again before new ones. */
  resend?: boolean;
}

/** A running load: `stop()` ends it and resolves once every worker has returned. */
export interface Load {
  stop(): Promise<void>;
  /** True once every worker has returned (maxPosts reached or stopped). */
  finished(): boolean;
  /** Resolves when the load ended by itself (maxPosts reached). */
  done: Promise<void>;
}

/** Posts batches to `/collect` from a few concurrent workers, recording every answer in `ledger`. */
export function startLoad(ledger: Ledger, o: LoadOptions): Load {
  let stopped = false;
  let posts = 0;
  const max = o.maxPosts ?? 10_000;
  const worker = async () => {
    while (!stopped && posts < max) {
      posts++;
      const again = o.resend ? ledger.unacked.shift() : undefined;
      if (again) ledger.resent++;
      const events = again ?? ledger.newBatch(o.eventsPerBatch ?? 10);
      await postOnce(ledger, o, events);
      if (o.pauseMs) await new Promise((r) => setTimeout(r, o.pauseMs));
    }
  };
  let ended = false;
  const done = Promise.all(Array.from({ length: o.concurrency ?? 3 }, worker)).then(() => {
    ended = true;
  });
  return {
    done,
    finished: () => ended,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function postOnce(ledger: Ledger, o: LoadOptions, events: CollectEvent[]): Promise<void> {
  try {
    const res = await fetch(`${o.url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': o.ip },
      body: JSON.stringify({ site: o.siteKey, sent_at: Date.now(), events }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { accepted?: number };
    ledger.count(String(res.status));
    ledger.sequence.push(res.status);
    if (res.status === 202 && body.accepted === events.length) {
      for (const e of events) ledger.acked.add(e.id);
    } else ledger.unacked.push(events);
  } catch {
    // Connection refused or cut (the process was killed): not acknowledged, send again later.
    ledger.count('network_error');
    ledger.unacked.push(events);
  }
}

/** Acknowledged ids missing from the store, ids stored more than once, and ids never sent. */
export function audit(ledger: Ledger, counts: Map<string, number>) {
  const missing = [...ledger.acked].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
  const unknown = [...counts.keys()].filter((id) => !ledger.sent.has(id));
  const rows = [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    sent: ledger.sent.size,
    acknowledged: ledger.acked.size,
    stored: counts.size,
    rows,
    duplicated: duplicated.length,
    resentBatches: ledger.resent,
    missingIds: missing,
    duplicatedIds: duplicated,
    unknownIds: unknown,
    statuses: Object.fromEntries(ledger.statuses),
  };
}

export type Audit = ReturnType<typeof audit>;

/** Prints the figures of a fault test (for the report) in one line. */
export function printFigures(name: string, a: Audit): void {
  const { missingIds, duplicatedIds, unknownIds, ...figures } = a;
  process.stdout.write(
    `[figures] ${name}: ${JSON.stringify({ ...figures, missing: missingIds.length, unknown: unknownIds.length })}\n`,
  );
}

/** Every acknowledged id stored, none twice; the message lists the offending ids. */
export function expectExactlyOnce(a: Audit): void {
  const show = (ids: string[]) => (ids.length > 20 ? `${ids.slice(0, 20).join(', ')}, …` : ids.join(', '));
  expect(a.missingIds, `acknowledged but missing (${a.missingIds.length}): ${show(a.missingIds)}`).toEqual(
    [],
  );
  expect(
    a.duplicatedIds,
    `stored more than once (${a.duplicatedIds.length}): ${show(a.duplicatedIds)}`,
  ).toEqual([]);
  expect(a.unknownIds, 'stored but never sent').toEqual([]);
}
