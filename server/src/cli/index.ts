import { parseArgs } from 'node:util';
import { ServerEventsError } from '../client/server-events.ts';
import { parseColumnMap } from './import/mapping.ts';
import { runImport } from './import/run.ts';
import { defaultCluster, defaultDatabase, migrationsDdl } from './migrations.ts';

const USAGE = `Usage: pnpm funnelhouse import --site ID --key KEY [options] FILE
       pnpm funnelhouse migrations --print [--cluster NAME] [--database NAME]

Streams a file of events (NDJSON, or CSV with a header) into a site through the server events
API, resumably. Lines are events in the snippet's schema with an absolute ts (epoch ms or
ISO-8601); events without an id get one derived from the line, so a re-import stores nothing twice.

Options:
  --url URL           server base URL (default http://localhost:8787 or FUNNELHOUSE_URL)
  --format F          ndjson | csv (default: from the file name, else ndjson)
  --map SPEC          target=column pairs, e.g. ts=timestamp,type=event,url=page,utm.source=src
  --state PATH        resume state (default FILE.import-state.json)
  --rejects PATH      rejected lines with reasons, NDJSON (default FILE.rejects.ndjson)
  --summary PATH      summary JSON (default FILE.import-summary.json)
  --batch N           events per request, 1-1000 (default 1000; a request is also cut at 4 MiB)
  --concurrency N     requests in flight (default 3)
  --no-progress       no progress bar on stderr

migrations --print writes to stdout the DDL the server would run at start, every migration in
order, for one node or (--cluster, default CLICKHOUSE_CLUSTER) ON CLUSTER with replicated and
Distributed tables. It connects to nothing.
`;

/** `funnelhouse <command>`: the operator's command line. Exit 0 done, 1 failed, 2 usage, 130 stopped. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'migrations') return printMigrations(rest);
  if (command !== 'import') {
    process.stderr.write(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      site: { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      format: { type: 'string' },
      map: { type: 'string' },
      state: { type: 'string' },
      rejects: { type: 'string' },
      summary: { type: 'string' },
      batch: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '3' },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  const batch = Number(values.batch);
  const concurrency = Number(values.concurrency);
  const format = values.format ?? (file?.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  if (!file || !values.site || !values.key || !(batch >= 1 && batch <= 1000) || !(concurrency >= 1)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (format !== 'ndjson' && format !== 'csv')
    throw new Error(`--format must be ndjson or csv, got ${format}`);
  const stop = { requested: false };
  process.once('SIGINT', () => {
    stop.requested = true;
    process.stderr.write('\nStopping after the batches in flight…\n');
  });
  const summary = await runImport({
    url: values.url ?? process.env.FUNNELHOUSE_URL ?? 'http://localhost:8787',
    site: values.site,
    key: values.key,
    file,
    format,
    map: parseColumnMap(values.map),
    statePath: values.state ?? `${file}.import-state.json`,
    rejectsPath: values.rejects ?? `${file}.rejects.ndjson`,
    summaryPath: values.summary ?? `${file}.import-summary.json`,
    batchSize: batch,
    concurrency,
    progress: !values['no-progress'],
    stop,
  });
  process.stderr.write(
    `${summary.complete ? 'Done' : 'Stopped'}: ${summary.lines.toLocaleString('en-US')} lines, ` +
      `${summary.stored} stored, ${summary.duplicates} already there, ${summary.rejected} rejected ` +
      `(${JSON.stringify(summary.rejected_by_code)}); ${summary.this_run.events_per_second} events/s, ` +
      `peak RSS ${summary.max_rss_mb} MB.\nSummary: ${values.summary ?? `${file}.import-summary.json`}\n`,
  );
  return summary.complete ? 0 : 130;
}

/** `migrations --print [--cluster NAME] [--database NAME]`: the DDL, for review before a start. */
function printMigrations(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      print: { type: 'boolean', default: false },
      cluster: { type: 'string' },
      database: { type: 'string' },
    },
  });
  if (!values.print) {
    process.stderr.write(USAGE);
    return 2;
  }
  process.stdout.write(
    migrationsDdl({
      database: values.database ?? defaultDatabase(),
      cluster: values.cluster ?? defaultCluster(),
    }),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof ServerEventsError ? `${err.status} ${err.code}: ${err.message}` : String(err);
    process.stderr.write(`funnelhouse: ${msg}\n`);
    process.exit(1);
  },
);
