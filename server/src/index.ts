export { type Store, select } from './clickhouse/client.ts';
export { migrate } from './clickhouse/migrate.ts';
export { type Config, loadConfig } from './config.ts';
export type { EventRow } from './enrich/row.ts';
export { Params } from './funnels/compile.ts';
export { createLogger } from './logger.ts';
export { type FunnelUnitRow, listFunnelUnits } from './queries/listFunnelUnits.ts';
export { DEMO_SITE_ID, type RunningServer, startServer } from './server.ts';
