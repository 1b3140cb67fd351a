/**
 * `pnpm bench [dashboard|funnel|experiment|carts|ingest|reports|soak|import] [--events N] [--runs R] [--quick]
 * [--sizes N,N] [--only REPORT,…] [--minutes M] [--lines N]`: benchmarks that print figures and compare against a baseline
 * measured in the same run or a target. Without a name, every benchmark runs. Never part of the
 * test suite.
 *
 * - dashboard: the dashboard's first load (JS + CSS, gzipped) against its 60 KB budget.
 * - funnel: our funnel query against `windowFunnel` (`--events`, `--runs`).
 * - experiment: the results read (primary + 2 secondary metrics) against a plain
 *   `GROUP BY variant` (`--events`, `--runs`).
 * - carts: the abandonment report against hand-written queries for the same counts and a cruder one (`--events`, `--runs`).
 * - ingest: a real server under `wrk` against a bare Hono endpoint (`--quick`: 5 s cases and
 *   200 k stored events instead of 30 s and 10 M, for a smoke run).
 * - reports: every report through a real server's API (overview, funnel, experiment, carts,
 *   revenue, forecast, orders summary, funnel correlation, 3-level paths, first export page) on
 *   data sets of `--sizes` events
 *   (default 1 M and 10 M) in two distributions: median, p95, peak RSS (`--runs`; `--quick`:
 *   200 k events, a smoke run); correlation and paths also against a hand-written `GROUP BY`.
 * - soak: a real server under `wrk` (batches of 20, 10 connections) for `--minutes` (default 5),
 *   an overview and a funnel every 5 s: RSS, `/readyz`, report latency over time, and the audit.
 * - import: the import CLI on a generated history file of `--lines` lines (default 1 M) into a real
 *   server: lines per second and the importer's peak RSS, against reading and parsing the file alone.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tempDir } from '../helpers/tmp.ts';
import { benchCarts } from './carts.ts';
import { benchDashboard } from './dashboard.ts';
import { benchExperiment } from './experiment.ts';
import { benchFunnel } from './funnel.ts';
import { benchImport } from './import.ts';
import { benchIngest } from './ingest.ts';
import { benchReports } from './reports.ts';
import { benchSoak } from './soak.ts';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  allowPositionals: true,
  options: {
    events: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '1000000,10000000' },
    minutes: { type: 'string', default: '5' },
    lines: { type: 'string', default: '1000000' },
    only: { type: 'string' },
  },
});
const sized = { events: Number(values.events), runs: Number(values.runs) };
const benches: Record<string, (dataDir: string) => Promise<void>> = {
  dashboard: () => benchDashboard(),
  funnel: (dataDir) => benchFunnel({ ...sized, dataDir }),
  experiment: (dataDir) => benchExperiment({ ...sized, dataDir }),
  carts: (dataDir) => benchCarts({ ...sized, dataDir }),
  // A server process of its own, in a directory of its own.
  ingest: () => ownDir('ingest', (dataDir) => benchIngest({ quick: values.quick, dataDir })),
  reports: () =>
    ownDir('reports', (dataDir) =>
      benchReports({
        sizes: values.sizes.split(',').map(Number),
        runs: sized.runs,
        quick: values.quick,
        ...(values.only ? { only: values.only.split(',') } : {}),
        dataDir,
      }),
    ),
  soak: () => ownDir('soak', (dataDir) => benchSoak({ minutes: Number(values.minutes), dataDir })),
  import: () => ownDir('import', (dataDir) => benchImport({ lines: Number(values.lines), dataDir })),
};

/** Runs a benchmark in a fresh data directory of its own, deleted afterwards. */
async function ownDir(name: string, bench: (dataDir: string) => Promise<void>): Promise<void> {
  const own = tempDir(`funnelhouse-bench-${name}-`);
  try {
    await bench(own.path);
  } finally {
    rmSync(own.path, { recursive: true, force: true });
  }
}
const unknown = positionals.filter((p) => !(p in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
// One data directory for the run (one process holds one chdb directory); each case writes its
// own site.
const dir = tempDir('funnelhouse-bench-');
try {
  for (const name of positionals.length > 0 ? positionals : Object.keys(benches)) {
    console.log(`== ${name}`);
    await benches[name]?.(dir.path);
  }
} finally {
  rmSync(dir.path, { recursive: true, force: true });
}
