import type { ClickHouseClient } from '@clickhouse/client';

/** What a pool bounds; `perLane` defaults to every client (one lane may take them all). */
export interface PoolOptions {
  /** Clients one lane (a site's reports) may hold at once; the rest stay for other lanes. */
  perLane?: number;
}

/** The lane of queries that name none (background work, tools). */
const NO_LANE = '';

interface Lane {
  running: number;
  waiting: ((ch: ClickHouseClient) => void)[];
}

/**
 * A few clients, each running one query at a time; a query waits for a free client rather than
 * queueing behind a busy one. On chdb each client is its own connection and runs one query at a
 * time, so a report never waits behind a long one while another connection could take it; the
 * worst a long report does is hold one client until it ends (at most `max_execution_time`).
 *
 * Queries come in lanes (the reports of one site). One lane holds at most `perLane` clients at
 * once, and a freed client goes to the next lane in turn that has a query waiting and is under
 * its share (round-robin), not to the oldest query: six heavy funnels of one site used to take
 * all four report connections and queue ahead of every other site's overview (issue 25, item 2).
 *
 * chdb cannot interrupt a query: on abort its promise rejects at once but the engine computes on,
 * and the connection's next query would wait for it. So an abandoned query keeps its client until
 * a ping on that client answers, which is when the connection is free again. A query abandoned
 * while it still waits for a client leaves the queue at once.
 */
export class ClientPool {
  readonly #free: ClickHouseClient[];
  readonly #perLane: number;
  readonly #lanes = new Map<string, Lane>();
  /** Lanes with a query waiting, in the order they are served; each listed once. */
  readonly #turns: string[] = [];

  constructor(clients: readonly ClickHouseClient[], options: PoolOptions = {}) {
    if (clients.length === 0) throw new Error('a pool needs at least one client');
    this.#free = [...clients];
    this.#perLane = Math.max(1, Math.min(options.perLane ?? clients.length, clients.length));
  }

  /** Runs `fn` on a free client of `lane`'s share; `signal` is the one `fn` passes to its query. */
  async use<T>(
    fn: (ch: ClickHouseClient) => Promise<T>,
    signal?: AbortSignal,
    lane: string = NO_LANE,
  ): Promise<T> {
    const ch = await this.#acquire(lane, signal);
    try {
      const result = await fn(ch);
      this.#release(lane, ch);
      return result;
    } catch (err) {
      if (signal?.aborted)
        ch.ping().then(
          () => this.#release(lane, ch),
          () => this.#release(lane, ch),
        );
      else this.#release(lane, ch);
      throw err;
    }
  }

  #lane(name: string): Lane {
    let l = this.#lanes.get(name);
    if (!l) {
      l = { running: 0, waiting: [] };
      this.#lanes.set(name, l);
    }
    return l;
  }

  #acquire(name: string, signal: AbortSignal | undefined): Promise<ClickHouseClient> {
    signal?.throwIfAborted();
    const lane = this.#lane(name);
    return new Promise<ClickHouseClient>((resolve, reject) => {
      const onAbort = () => {
        lane.waiting.splice(lane.waiting.indexOf(take), 1);
        this.#forget(name, lane);
        reject(signal?.reason);
      };
      const take = (ch: ClickHouseClient) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ch);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.waiting.push(take);
      if (lane.waiting.length === 1) this.#turns.push(name);
      this.#dispatch();
    });
  }

  #release(name: string, ch: ClickHouseClient): void {
    const lane = this.#lane(name);
    lane.running--;
    this.#free.push(ch);
    this.#dispatch();
    this.#forget(name, lane);
  }

  /** Hands free clients to waiting lanes under their share, one per lane in turn. */
  #dispatch(): void {
    while (this.#free.length > 0) {
      const i = this.#turns.findIndex((n) => (this.#lanes.get(n)?.running ?? 0) < this.#perLane);
      if (i < 0) return;
      const name = this.#turns.splice(i, 1)[0] as string;
      const lane = this.#lane(name);
      const take = lane.waiting.shift() as (ch: ClickHouseClient) => void;
      lane.running++;
      if (lane.waiting.length > 0) this.#turns.push(name);
      take(this.#free.pop() as ClickHouseClient);
    }
  }

  /** Takes a lane with nothing waiting out of turn, and drops it once idle (no memory per past site). */
  #forget(name: string, lane: Lane): void {
    const turn = this.#turns.indexOf(name);
    if (lane.waiting.length === 0 && turn >= 0) this.#turns.splice(turn, 1);
    if (lane.running === 0 && lane.waiting.length === 0) this.#lanes.delete(name);
  }
}
