import type { ClickHouseClient } from '@clickhouse/client';

/**
 * A few clients, each running one query at a time; a query waits for a free client rather than
 * queueing behind a busy one. On chdb each client is its own connection and runs one query at a
 * time, so a report never waits behind a long one while another connection could take it; the
 * worst a long report does is hold one client until it ends (at most `max_execution_time`).
 *
 * chdb cannot interrupt a query: on abort its promise rejects at once but the engine computes on,
 * and the connection's next query would wait for it. So an abandoned query keeps its client until
 * a ping on that client answers, which is when the connection is free again.
 */
export class ClientPool {
  readonly #free: ClickHouseClient[];
  readonly #waiting: ((ch: ClickHouseClient) => void)[] = [];

  constructor(clients: readonly ClickHouseClient[]) {
    if (clients.length === 0) throw new Error('a pool needs at least one client');
    this.#free = [...clients];
  }

  /** Runs `fn` on a free client; `signal` is the one `fn` passes to its query. */
  async use<T>(fn: (ch: ClickHouseClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const ch = this.#free.pop() ?? (await new Promise<ClickHouseClient>((r) => this.#waiting.push(r)));
    try {
      const result = await fn(ch);
      this.#release(ch);
      return result;
    } catch (err) {
      if (signal?.aborted)
        ch.ping().then(
          () => this.#release(ch),
          () => this.#release(ch),
        );
      else this.#release(ch);
      throw err;
    }
  }

  #release(ch: ClickHouseClient): void {
    const next = this.#waiting.shift();
    if (next) next(ch);
    else this.#free.push(ch);
  }
}
