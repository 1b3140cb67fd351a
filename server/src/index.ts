export { createApp } from './app.ts';
export { runAttribution } from './attribution/run.ts';
export type { CartScope } from './carts/fold-sql.ts';
export { getCartGroupSums } from './carts/queries/getCartGroupSums.ts';
export { type CartStateRow, listCartStates } from './carts/queries/listCartStates.ts';
export { openStore, type Store, select, withSignal } from './clickhouse/client.ts';
export { migrate } from './clickhouse/migrate.ts';
export { type Config, loadConfig } from './config.ts';
export type { EventRow } from './enrich/row.ts';
export { getExperimentSums } from './experiments/queries/getExperimentSums.ts';
export type { ExposureScope, Segment } from './experiments/units-sql.ts';
export { excludedCandidates } from './funnels/correlation-shape.ts';
export { getCorrelationCounts } from './funnels/queries/getCorrelationCounts.ts';
export { getFunnelLevels } from './funnels/queries/getFunnelLevels.ts';
export { type FunnelUnitRow, listFunnelUnits } from './funnels/queries/listFunnelUnits.ts';
export type { LevelRow } from './funnels/shape.ts';
export { MAX_UNIT_WORK } from './funnels/units-sql.ts';
export { createLogger, type Logger } from './logger.ts';
export { runPaths } from './paths/run.ts';
export { runProducts } from './products/run.ts';
export { getRevenueOrderSums } from './revenue/queries/getRevenueOrderSums.ts';
export { getRevenueVisitorSums } from './revenue/queries/getRevenueVisitorSums.ts';
export { CTA_EXPERIMENT, FUNNEL } from './seed/experiment.ts';
export {
  BUNDLE_DEFINITION,
  CTA_DEFINITION,
  SEEDED_DEFINITIONS,
  saveDefinition,
} from './seed/experiment-definition.ts';
export { generateTraffic, type SimVisitor, type Traffic } from './seed/generate.ts';
export { batchesOf, postTraffic } from './seed/post.ts';
export { runSeed } from './seed/run.ts';
export { SITE_SEARCH } from './seed/search.ts';
export { summarizeTraffic } from './seed/summary.ts';
export { DEMO_SITE_ID, type RunningServer, startServer } from './server.ts';
export { Params } from './sql/params.ts';
export { listSegments, segmentPath } from './wal/files.ts';
export { scanRecords } from './wal/record.ts';
export { startWebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.ts';
