import type { ClickHouseClient } from '@clickhouse/client';

/**
 * A few clients, each query on the one with the fewest queries running. On chdb each client is
 * its own connection and runs one query at a time, so a second report does not queue behind a
 * long one while another connection is idle. An abandoned query (client gone) frees its slot
 * when its promise settles; chdb may still be computing it until `max_execution_time`.
 */
export class ClientPool {
  readonly #clients: readonly ClickHouseClient[];
  readonly #running: number[];

  constructor(clients: readonly ClickHouseClient[]) {
    if (clients.length === 0) throw new Error('a pool needs at least one client');
    this.#clients = clients;
    this.#running = clients.map(() => 0);
  }

  /** Runs `fn` on the least busy client. */
  async use<T>(fn: (ch: ClickHouseClient) => Promise<T>): Promise<T> {
    let best = 0;
    for (let i = 1; i < this.#running.length; i++) {
      if ((this.#running[i] ?? 0) < (this.#running[best] ?? 0)) best = i;
    }
    this.#running[best] = (this.#running[best] ?? 0) + 1;
    try {
      return await fn(this.#clients[best] as ClickHouseClient);
    } finally {
      this.#running[best] = (this.#running[best] ?? 1) - 1;
    }
  }
}
