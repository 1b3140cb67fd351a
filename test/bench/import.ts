/**
 * The import of a history file at size (`pnpm bench import --lines N`, default 1 M): a real server
 * process and the real import CLI, its heap capped as in the test. Prints the run's wall time,
 * events per second, the importer's peak RSS against the file's size, and, as the baseline of the
 * same run, the time to read and parse the file alone (the floor no importer beats).
 *
 * The test (`test/integration/import.test.ts`) checks the same path for correctness at a size CI
 * can afford; the figures at 1 M lines are measured here.
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { IMPORT_HEAP_MB, runImportCli } from '../helpers/import-cli.ts';
import { writeGeneratedFile } from '../helpers/import-file.ts';
import { ServerRunner } from '../helpers/process.ts';
import { createSite } from '../helpers/server.ts';
import { loadAverage } from './wrk.ts';

async function parseOnly(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    try {
      JSON.parse(line);
    } catch {
      // an unreadable line is part of the file: counted, not parsed
    }
    n++;
  }
  return n;
}

export async function benchImport(opts: { lines: number; dataDir: string }): Promise<void> {
  const file = join(opts.dataDir, 'history.ndjson');
  await writeGeneratedFile(file, opts.lines, Date.now() - 86_400_000);
  const mb = statSync(file).size / 1e6;
  console.log(
    `import bench: ${opts.lines.toLocaleString('en')} lines (${mb.toFixed(0)} MB), importer heap capped at ${IMPORT_HEAP_MB} MB; load average ${loadAverage()}`,
  );

  const t0 = performance.now();
  const parsed = await parseOnly(file);
  const floor = (performance.now() - t0) / 1000;

  const runner = new ServerRunner(join(opts.dataDir, 'server'), {
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_LOG_LEVEL: 'info',
  });
  const server = await runner.start();
  try {
    const site = await createSite(server, 'bench import');
    const t1 = performance.now();
    const run = await runImportCli(server, site, file, { heapMb: IMPORT_HEAP_MB });
    const secs = (performance.now() - t1) / 1000;
    if (run.exit !== 0 || !run.summary?.complete) {
      throw new Error(`the import did not complete (exit ${run.exit}): ${run.stderr.slice(0, 2000)}`);
    }
    const s = run.summary;
    console.log('| case | seconds | lines/s | peak RSS |');
    console.log('|---|---|---|---|');
    console.log(
      `| read + JSON.parse only (floor) | ${floor.toFixed(1)} | ${Math.round(parsed / floor)} | – |`,
    );
    console.log(
      `| import CLI → server | ${secs.toFixed(1)} | ${Math.round(opts.lines / secs)} | ${s.max_rss_mb} MB (file ${mb.toFixed(0)} MB) |`,
    );
    console.log(
      `stored ${s.stored}, duplicates ${s.duplicates}, rejected ${s.rejected}; the import takes ${(secs / floor).toFixed(1)}× the floor`,
    );
  } finally {
    await server.stop('SIGTERM');
  }
}
