import type { ClickHouseClient } from '@clickhouse/client';

/**
 * A few clients, each query on the one with the fewest queries running. On chdb each client is
 * its own connection and runs one query at a time, so a second report does not queue behind a
 * long one while another connection is idle.
 *
 * chdb cannot interrupt a query: on abort its promise rejects at once but the engine computes on
 * (until done or `max_execution_time`), and the connection's next query waits for it. So an
 * abandoned query keeps its slot until a ping on the same client answers, which is when the
 * connection is free again.
 */
export class ClientPool {
  readonly #clients: readonly ClickHouseClient[];
  readonly #running: number[];

  constructor(clients: readonly ClickHouseClient[]) {
    if (clients.length === 0) throw new Error('a pool needs at least one client');
    this.#clients = clients;
    this.#running = clients.map(() => 0);
  }

  /** Runs `fn` on the least busy client; `signal` is the one `fn` passes to its query. */
  async use<T>(fn: (ch: ClickHouseClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let best = 0;
    for (let i = 1; i < this.#running.length; i++) {
      if ((this.#running[i] ?? 0) < (this.#running[best] ?? 0)) best = i;
    }
    this.#running[best] = (this.#running[best] ?? 0) + 1;
    const ch = this.#clients[best] as ClickHouseClient;
    const release = () => {
      this.#running[best] = (this.#running[best] ?? 1) - 1;
    };
    try {
      const result = await fn(ch);
      release();
      return result;
    } catch (err) {
      if (signal?.aborted) ch.ping().then(release, release);
      else release();
      throw err;
    }
  }
}
