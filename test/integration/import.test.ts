import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { select } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_HEAP_MB } from '../helpers/import-cli.ts';
import { BAD_KINDS, generatedLine, writeGeneratedFile } from '../helpers/import-file.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Lines in the generated file: 300 k, a file (about 43 MB) larger than the importer's whole heap.
 * The 1 M-line figures are measured by `pnpm bench import`, on the same path with the same cap.
 */
const LINES = Number(process.env.FUNNELHOUSE_IMPORT_TEST_LINES ?? 300_000);
const CLI = join(import.meta.dirname, '../../server/src/cli/index.ts');

let s: TestServer;
let site: { id: string; api_key: string };
const dir = tempDir('funnelhouse-import-');
const file = join(dir.path, 'history.ndjson');
const endMs = Date.now() - 86_400_000;
let bad: Record<string, number>;

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'import');
  const t = performance.now();
  bad = await writeGeneratedFile(file, LINES, endMs);
  log(`generated ${LINES} lines (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${secs(t)} s`);
}, 900_000);
afterAll(async () => {
  await s.destroy();
  dir.remove();
});

const log = (msg: string) => process.stdout.write(`[import test] ${msg}\n`);
const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

/**
 * Runs the importer as its own process (node + tsx loader, no wrapper process). Its JS heap is
 * capped below the file's size (`IMPORT_HEAP_MB`): an importer that kept anything per line would run out of
 * memory here, so flat memory is checked on every run, not only reported.
 */
function importer(): { child: ChildProcess; done: Promise<number> } {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${IMPORT_HEAP_MB}`,
      '--import',
      'tsx',
      CLI,
      'import',
      '--url',
      s.url,
      '--site',
      site.id,
      '--key',
      site.api_key,
      '--no-progress',
      file,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const done = new Promise<number>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : 0))),
  );
  return { child, done };
}

function confirmedLine(): number {
  try {
    return (JSON.parse(readFileSync(`${file}.import-state.json`, 'utf8')) as { line: number }).line;
  } catch {
    return 0; // not written yet, or being renamed
  }
}

describe(`import of a ${LINES.toLocaleString('en-US')}-line file`, () => {
  it('stores every valid line exactly once across a kill and a resume, and reports the rejected ones', async () => {
    const first = importer();
    const t1 = performance.now();
    // Killed once 40 % is confirmed: a point in the work, not a time, so a loaded machine only
    // takes longer to get there. An importer that ends first fails the test instead of hanging.
    let exited = false;
    void first.done.then(() => {
      exited = true;
    });
    while (confirmedLine() < LINES * 0.4 && !exited) await new Promise((r) => setTimeout(r, 50));
    expect(exited, 'the importer ended before 40 % of the file').toBe(false);
    first.child.kill('SIGKILL');
    await first.done;
    const killedAt = confirmedLine();
    log(`killed the importer at line ${killedAt} after ${secs(t1)} s`);

    const t2 = performance.now();
    expect(await importer().done).toBe(0);
    log(`resumed run finished in ${secs(t2)} s`);
    const summary = JSON.parse(readFileSync(`${file}.import-summary.json`, 'utf8'));
    log(`summary: ${JSON.stringify(summary)}`);
    log(
      `importer peak RSS (resumed run): ${summary.max_rss_mb} MB; ${summary.this_run.events_per_second} events/s`,
    );

    const badTotal = BAD_KINDS.reduce((n, k) => n + (bad[k] ?? 0), 0);
    const valid = LINES - badTotal;
    const [row] = await select<{ n: number; ids: number }>(
      s.deps.store,
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
      { site: site.id },
    );
    expect(Number(row?.n)).toBe(valid);
    expect(Number(row?.ids)).toBe(valid);

    expect(summary).toMatchObject({
      complete: true,
      lines: LINES,
      rejected: badTotal,
      resumed_from_line: killedAt,
    });
    expect(summary.resumed_from_line).toBeGreaterThan(0);
    expect(summary.stored + summary.duplicates).toBe(valid);
    expect(summary.rejected_by_code).toEqual(bad);

    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects).toHaveLength(badTotal);
    for (const r of rejects) {
      const line = generatedLine(r.line - 1, LINES, endMs);
      expect(line.bad).toBe(r.code);
      expect(r.message).not.toBe('');
    }
    // Count-bound work: the time limit only catches a hang, at several times the idle figure,
    // since the suite may run beside other load.
  }, 2_400_000);

  it('exports exactly what was imported: same ids and fields, in order', async () => {
    const from = new Date(endMs - 701 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(endMs).toISOString().slice(0, 10);
    const t = performance.now();
    const res = await fetch(`${s.url}/api/v1/sites/${site.id}/events/export?from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${site.api_key}` },
    });
    expect(res.status).toBe(200);
    const lines = createInterface({ input: Readable.fromWeb(res.body as never) });
    let i = 0;
    let rows = 0;
    for await (const text of lines) {
      let want = generatedLine(i, LINES, endMs);
      while (want.bad) want = generatedLine(++i, LINES, endMs);
      const got = JSON.parse(text) as Record<string, unknown>;
      const ev = want.event as Record<string, unknown>;
      const same =
        got.event_id === ev.id &&
        got.type === ev.type &&
        got.ts === new Date(ev.ts as number).toISOString() &&
        got.visitor_id === ev.visitor_id &&
        got.source === 'import' &&
        (ev.type === 'purchase'
          ? got.order_id === ev.order_id &&
            got.revenue === Math.round((ev.revenue as number) * 1e4) / 1e4 &&
            got.currency === ev.currency
          : got.url === ev.url &&
            got.utm_source === 'news' &&
            (got.props as { n: string }).n === String((ev.props as { n: number }).n));
      if (!same) expect({ line: i + 1, got }).toEqual({ line: i + 1, want: ev });
      i++;
      rows++;
    }
    const seconds = (performance.now() - t) / 1000;
    log(`exported ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s`);
    while (i < LINES && generatedLine(i, LINES, endMs).bad) i++;
    expect(i).toBe(LINES);
    expect(existsSync(`${file}.import-state.json`)).toBe(true);
  }, 1_200_000);
});
