export { openStore, type Store, select } from './clickhouse/client.ts';
export { migrate } from './clickhouse/migrate.ts';
export { type Config, loadConfig } from './config.ts';
export type { EventRow } from './enrich/row.ts';
export { createLogger } from './logger.ts';
export { DEMO_SITE_ID, type RunningServer, startServer } from './server.ts';
export { listSegments, segmentPath } from './wal/files.ts';
export { scanRecords } from './wal/record.ts';
