import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../server/src/cli/index.ts');

/**
 * The importer's JS heap, in MB, in the big-file test and `pnpm bench import`: below the size of
 * their files, so an importer that kept anything per line runs out of memory there.
 */
export const IMPORT_HEAP_MB = 40;

export interface ImportRun {
  exit: number;
  /** `FILE.import-summary.json`, when the run wrote one. */
  summary?: {
    stored: number;
    duplicates: number;
    rejected: number;
    rejected_by_code: Record<string, number>;
    max_rss_mb: number;
    complete: boolean;
  };
  /** `FILE.rejects.ndjson`, one object a line. */
  rejects: { line: number; code: string; message: string }[];
  stderr: string;
}

/**
 * Runs the real import CLI (`pnpm funnelhouse import`) as its own process (node + tsx loader, no
 * wrapper), its JS heap capped at `heapMb`: an importer that held a large line whole runs out of
 * memory here instead of passing on a big machine.
 */
export async function runImportCli(
  server: { url: string },
  site: { id: string; api_key: string },
  file: string,
  opts: { format?: 'ndjson' | 'csv'; heapMb?: number } = {},
): Promise<ImportRun> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${opts.heapMb ?? 96}`,
      '--import',
      'tsx',
      CLI,
      'import',
      '--url',
      server.url,
      '--site',
      site.id,
      '--key',
      site.api_key,
      '--no-progress',
      ...(opts.format ? ['--format', opts.format] : []),
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const exit = await new Promise<number>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : 0))),
  );
  const summaryPath = `${file}.import-summary.json`;
  const rejectsPath = `${file}.rejects.ndjson`;
  return {
    exit,
    ...(existsSync(summaryPath) ? { summary: JSON.parse(readFileSync(summaryPath, 'utf8')) } : {}),
    rejects: existsSync(rejectsPath)
      ? readFileSync(rejectsPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l))
      : [],
    stderr,
  };
}
