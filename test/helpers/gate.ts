import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Store, select } from '@funnelhouse/server/clickhouse';

/**
 * A query that holds its engine connection until the test says so, without any timing: it reads
 * `url()` from this little HTTP server, which keeps every request unanswered until `open()`.
 * The engine first sends a HEAD (the size), so `held` counts the gated queries running now.
 */
export interface Gate {
  /** Gated queries the engine is running (their request is held here). */
  readonly held: number;
  /** Runs one gated query on `store` (its pool, lane and settings); resolves once opened. */
  query(store: Store): Promise<unknown>;
  /** Resolves once `n` gated queries are held. */
  until(n: number): Promise<void>;
  /** Answers every held request and every later one. */
  open(): void;
  close(): Promise<void>;
}

export async function startGate(): Promise<Gate> {
  const waiting: (() => void)[] = [];
  let opened = false;
  const server = createServer((_req, res) => {
    const answer = () => res.end('1\n');
    if (opened) answer();
    else waiting.push(answer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gate`;
  return {
    get held() {
      return opened ? 0 : waiting.length;
    },
    query(store) {
      // The engine's own HTTP timeouts and the report time limit must not end the hold early.
      const settings = { ...store.settings, max_execution_time: 600, http_receive_timeout: 600 };
      return select({ ...store, settings }, `SELECT x FROM url('${url}', 'CSV', 'x UInt8')`);
    },
    async until(n) {
      while (waiting.length < n) await new Promise((r) => setTimeout(r, 10));
    },
    open() {
      opened = true;
      for (const answer of waiting.splice(0)) answer();
    },
    close() {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
