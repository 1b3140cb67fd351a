/**
 * Where the store is and how reports may use it: the types `config.ts` reads from the
 * environment and `client.ts` opens (a leaf module, so that neither imports the other).
 */

/** Where the data lives: the embedded engine's directory or a ClickHouse server. */
export type ClickHouseTarget =
  | { kind: 'embedded'; path: string; database: string }
  | {
      kind: 'server';
      url: string;
      user: string;
      password: string;
      database: string;
      /** PEM file paths; read when the store opens. */
      tls?: { caFile?: string; certFile?: string; keyFile?: string };
      /** Set for a cluster: DDL runs `ON CLUSTER` and events go through a Distributed table. */
      cluster?: string;
    };

/** Settings of the reports clients (`FUNNELHOUSE_QUERY_*`); defaults in `REPORT_DEFAULTS`. */
export interface ReportLimits {
  /** chdb connections for reports (a ClickHouse server client opens connections as needed). */
  connections: number;
  /** Of those, how many one site's reports may hold at once (`pool.ts` lanes). */
  connectionsPerSite: number;
  timeoutSeconds: number;
  maxMemoryBytes: number;
}

export const REPORT_DEFAULTS: ReportLimits = {
  connections: 4,
  connectionsPerSite: 2,
  timeoutSeconds: 30,
  maxMemoryBytes: 2 * 1024 ** 3,
};
