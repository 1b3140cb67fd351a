/**
 * Ingest benchmark (`pnpm bench ingest [--quick]`): the full path (HTTP → validate → enrich →
 * spool → ClickHouse) of a real server process, loaded by `wrk` from a second process on
 * loopback, beside a bare Hono endpoint that only parses the same JSON (the ceiling, same run).
 * Batches of 20 and single events, each for a site with no events and for a site with
 * 10 M events already stored (written straight into ClickHouse, `stored-events.ts`). Prints
 * events/s, requests/s, p50/p99, errors, the server's RSS, how long the flusher took to catch up
 * and the flush durations; at the end checks, from ClickHouse, that every acknowledged event is
 * stored once, and what ClickHouse's inserts alone cost per event (`storeCeiling`), the floor
 * under the full path. Prints figures against the targets of issue 16; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openStore, type Store, select } from '@funnelhouse/server';
import { insertCompact } from '../../server/src/clickhouse/insert.ts';
import { EVENT_COLUMNS } from '../../server/src/enrich/row.ts';
import { metric, type ServerProcess, ServerRunner, waitDrained } from '../helpers/process.ts';
import { createSite } from '../helpers/server.ts';
import { generateStoredEvents } from './stored-events.ts';
import {
  audit,
  pct,
  printAudit,
  rssMb,
  runWrk,
  type Sent,
  sampleRss,
  storedPerPrefix,
  type WrkResult,
} from './wrk.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const CONNECTIONS = 50;

interface CaseResult {
  name: string;
  perRequest: number;
  wrk: WrkResult;
  rssMaxMb?: number;
  drainS?: number;
  flushMs?: number[];
  /** Server CPU seconds from the start of the run until its events were all in ClickHouse. */
  cpuS?: number;
  /** Spool fsyncs during the run: requests / fsyncs is the group commit's grouping. */
  fsyncs?: number;
}

/**
 * What the RSS is made of (MB): pages mapped from files (mostly libchdb.so's code, shared and
 * reclaimable by the kernel) and anonymous memory (V8's heap, chdb's allocations).
 */
function rssParts(pid: number): { fileMb: number; anonMb: number } {
  const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t)?.[1] ?? 0);
  return { fileMb: (kb('Rss') - kb('Anonymous')) / 1024, anonMb: kb('Anonymous') / 1024 };
}

/** CPU seconds (user + system, every thread: chdb's included) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

/** Starts the bare Hono baseline as its own process. */
async function startBare(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('./bare-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (c) => reject(new Error(`bare server exited (${c})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Flush durations (ms) the server logged after `from` (an offset into its logs). */
function flushDurations(logs: string, from: number): number[] {
  const out: number[] = [];
  for (const line of logs.slice(from).split('\n')) {
    if (!line.includes('"msg":"spool flush"')) continue;
    const m = /"ms":(\d+)/.exec(line);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

async function bytesPerEvent(store: Store): Promise<{ rows: number; bytes: number }> {
  const [r] = await select<{ rows: string; bytes: string }>(
    store,
    `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
     WHERE database = {name:String} AND table = 'events_v1' AND active`,
    { name: store.db },
  );
  return { rows: Number(r?.rows ?? 0), bytes: Number(r?.bytes ?? 0) };
}

export async function benchIngest(opts: { quick: boolean; dataDir: string }): Promise<void> {
  const seconds = opts.quick ? 5 : 30;
  const warmSeconds = opts.quick ? 2 : 5;
  const history = opts.quick ? 200_000 : 10_000_000;
  console.log(`ingest bench: ${seconds} s per case after ${warmSeconds} s warm-up, wrk -t1 -c${CONNECTIONS}`);
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const runner = new ServerRunner(opts.dataDir, {
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_LOG_LEVEL: 'debug',
  });
  let server: ServerProcess = await runner.start();
  const sites = {
    empty20: await createSite(server, 'bench empty, batches'),
    empty1: await createSite(server, 'bench empty, singles'),
    history: await createSite(server, 'bench history'),
  };
  await server.stop('SIGTERM');

  const chPath = `${opts.dataDir}/clickhouse`;
  let store = await openStore({ kind: 'embedded', path: chPath, database: 'funnelhouse' });
  let t = performance.now();
  await generateStoredEvents(store, { site: sites.history.id, n: history, endMs: Date.now(), days: 30 });
  console.log(
    `history: ${history.toLocaleString('en')} events over 30 days for one site in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await store.close();

  const results: CaseResult[] = [];
  const sent = new Map<string, Sent>();
  let runs = 0;
  const load = async (url: string, site: string, perRequest: number, s: number) => {
    const prefix = `w${++runs}`;
    const r = await runWrk(url, s, { prefix, site, events: perRequest, connections: CONNECTIONS });
    sent.set(prefix, {
      acked: r.accepted * perRequest,
      requests: r.requests,
      perRequest,
      unanswered: CONNECTIONS + r.socket_errors,
    });
    return r;
  };

  const bare = await startBare();
  for (const per of [20, 1]) {
    await runWrk(bare.url, warmSeconds, {
      prefix: 'bare',
      site: 'none',
      events: per,
      connections: CONNECTIONS,
    });
    results.push({
      name: `bare Hono, ${per === 1 ? 'single events' : 'batches of 20'}`,
      perRequest: per,
      wrk: await runWrk(bare.url, seconds, {
        prefix: 'bare',
        site: 'none',
        events: per,
        connections: CONNECTIONS,
      }),
    });
  }
  await bare.stop();

  server = await runner.start();
  const cases = [
    { name: 'batches of 20, empty site', site: sites.empty20.site_key, per: 20 },
    { name: 'single events, empty site', site: sites.empty1.site_key, per: 1 },
    { name: `batches of 20, ${history / 1e6} M stored`, site: sites.history.site_key, per: 20 },
    { name: `single events, ${history / 1e6} M stored`, site: sites.history.site_key, per: 1 },
  ];
  for (const c of cases) {
    await load(server.url, c.site, c.per, warmSeconds);
    await waitDrained(server.url, 600_000);
    const from = runner.logs.length;
    const rss = sampleRss(server.pid);
    const cpu0 = cpuSeconds(server.pid);
    const syncs0 = await metric(server.url, 'funnelhouse_spool_fsyncs_total');
    const wrk = await load(server.url, c.site, c.per, seconds);
    t = performance.now();
    await waitDrained(server.url, 600_000);
    const drainS = (performance.now() - t) / 1000;
    results.push({
      name: c.name,
      perRequest: c.per,
      wrk,
      rssMaxMb: rss(),
      drainS,
      flushMs: flushDurations(runner.logs, from),
      cpuS: cpuSeconds(server.pid) - cpu0,
      fsyncs: (await metric(server.url, 'funnelhouse_spool_fsyncs_total')) - syncs0,
    });
  }
  printTable(results);
  const rssEnd = rssMb(server.pid);
  const parts = rssParts(server.pid);
  const heapMb = (await metric(server.url, 'funnelhouse_nodejs_heap_size_total_bytes')) / 1048576;
  const lag = await metric(server.url, 'funnelhouse_spool_lag_seconds');
  await server.stop('SIGTERM');

  store = await openStore({ kind: 'embedded', path: chPath, database: 'funnelhouse' });
  const stored = await storedPerPrefix(store);
  const size = await bytesPerEvent(store);
  const ceiling = await storeCeiling(store, sites.empty20.id);
  await store.close();

  console.log(
    `server RSS after the cases: ${rssEnd.toFixed(0)} MB = ${parts.fileMb.toFixed(0)} MB mapped from files (libchdb.so) + ${parts.anonMb.toFixed(0)} MB anonymous (V8 heap ${heapMb.toFixed(0)} MB of it); spool lag at the end: ${lag} s`,
  );
  console.log(
    `stored: ${size.rows.toLocaleString('en')} rows, ${(size.bytes / 1e6).toFixed(0)} MB on disk = ${(size.bytes / size.rows).toFixed(1)} bytes/event (aim <= 80)`,
  );
  printAudit(audit(sent, stored));
  const bareBatches = results.find((r) => r.name.startsWith('bare') && r.perRequest === 20);
  const bareEps = bareBatches ? (bareBatches.wrk.accepted * 20) / (bareBatches.wrk.duration_us / 1e6) : 0;
  console.log(
    `ClickHouse alone (this process, no HTTP): ${CEILING_BATCHES} inserts of ${ceiling.rows.toLocaleString('en')} stored rows cost ${ceiling.cpuUsPerEvent.toFixed(1)} us CPU/event ` +
      `(${ceiling.msPerInsert.toFixed(0)} ms per insert, background merges not counted): on ${cpus().length} cores the inserts alone allow at most ` +
      `${Math.round((cpus().length * 1e6) / ceiling.cpuUsPerEvent).toLocaleString('en')} events/s; 0.18x the bare batches is ${Math.round(0.18 * bareEps).toLocaleString('en')} events/s`,
  );
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

const CEILING_BATCHES = 20;

/**
 * What the store alone costs per event: the CPU of this process (chdb runs in it) for inserts of
 * rows the server stored, as the flusher makes them (10,000 rows, JSONCompactEachRow), into a
 * scratch copy of the table; the first two inserts warm up. A floor under the full path's cost.
 */
async function storeCeiling(store: Store, site: string) {
  const rows = await select<Record<string, unknown>>(
    store,
    `SELECT ${EVENT_COLUMNS.join(', ')} FROM {db:Identifier}.events_v1 WHERE site_id = {site:String} LIMIT 10000`,
    { db: store.db, site },
  );
  await store.ch.command({ query: `CREATE TABLE ${store.db}.ceiling_v1 AS ${store.db}.events_v1` });
  let cpuUs = 0;
  let ms = 0;
  try {
    for (let i = -2; i < CEILING_BATCHES; i++) {
      const values = rows.map((r) => EVENT_COLUMNS.map((c) => (c === 'event_id' ? `${i}-${r[c]}` : r[c])));
      const t = performance.now();
      const c0 = process.cpuUsage();
      await insertCompact(store, 'ceiling_v1', EVENT_COLUMNS, values);
      const c = process.cpuUsage(c0);
      if (i < 0) continue;
      cpuUs += c.user + c.system;
      ms += performance.now() - t;
    }
  } finally {
    await store.ch.command({ query: `DROP TABLE ${store.db}.ceiling_v1 SYNC` });
  }
  return {
    rows: rows.length,
    cpuUsPerEvent: cpuUs / (CEILING_BATCHES * rows.length),
    msPerInsert: ms / CEILING_BATCHES,
  };
}

function printTable(results: CaseResult[]): void {
  const bare = new Map(results.filter((r) => r.name.startsWith('bare')).map((r) => [r.perRequest, r]));
  console.log(
    '\ncase                              req/s    events/s  x bare   p50 ms   p99 ms  errors  RSS MB  drain s  CPU us/event  flush p50/p99/max ms',
  );
  for (const r of results) {
    const secs = r.wrk.duration_us / 1e6;
    const rps = r.wrk.accepted / secs;
    const eps = rps * r.perRequest;
    const base = bare.get(r.perRequest);
    const ratio =
      base && base !== r ? eps / ((base.wrk.accepted * r.perRequest) / (base.wrk.duration_us / 1e6)) : 1;
    const f = r.flushMs ?? [];
    console.log(
      [
        r.name.padEnd(32),
        rps.toFixed(0).padStart(7),
        eps.toFixed(0).padStart(11),
        ratio.toFixed(2).padStart(7),
        (r.wrk.p50_us / 1000).toFixed(1).padStart(8),
        (r.wrk.p99_us / 1000).toFixed(1).padStart(8),
        String(r.wrk.refused + r.wrk.socket_errors).padStart(7),
        (r.rssMaxMb?.toFixed(0) ?? '-').padStart(7),
        (r.drainS?.toFixed(1) ?? '-').padStart(8),
        (r.cpuS === undefined ? '-' : ((r.cpuS * 1e6) / (r.wrk.accepted * r.perRequest)).toFixed(0)).padStart(
          13,
        ),
        f.length ? `  ${pct(f, 50)}/${pct(f, 99)}/${Math.max(...f)} (${f.length} flushes)` : '',
      ].join(' '),
    );
  }
  for (const r of results) {
    if (r.fsyncs)
      console.log(`${r.name}: ${(r.wrk.requests / r.fsyncs).toFixed(1)} requests per spool fsync`);
  }
  console.log(
    'targets: batches of 20 >= 20,000 events/s and >= 0.18x bare, p99 <= 250 ms; single events >= 3,000 req/s, p99 <= 50 ms;\n' +
      '         with history within 10 % of the empty site; flush p99 <= 1 s; RSS <= 512 MB',
  );
}
