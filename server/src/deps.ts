import type { RegexVerdicts } from './api/regex-verdicts.ts';
import type { ReportShares } from './api/report-shares.ts';
import type { Store } from './clickhouse/client.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { SiteRegistry } from './sites/registry.ts';
import type { Ingest } from './wal/ingest.ts';

/** What the HTTP layer is given; built once in `main.ts` (or a test) and passed down. */
export interface Deps {
  config: Config;
  store: Store;
  registry: SiteRegistry;
  /** Accepted rows go here: the write-ahead spool and its flusher (none in the `api` role). */
  ingest: Omit<Ingest, 'spool'>;
  metrics: Metrics;
  /** Each site's and API key's share of the report requests (`429 report_capacity` beyond it). */
  shares: ReportShares;
  /** The engine's verdicts on regular expressions, kept (bounded) so each is compiled once. */
  patterns: RegexVerdicts;
  log: Logger;
  /** False until migrations ran, and again once shutdown starts. */
  state: { ready: boolean };
}
