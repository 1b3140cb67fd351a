/**
 * Pieces the benchmarks that run a real server share: `wrk` with `ingest.lua` (unique event ids
 * per run), the server's memory and CPU from `/proc`, and the audit of acknowledged against
 * stored events, read from ClickHouse once the server has stopped.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Store, select } from '@funnelhouse/server';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export interface WrkResult {
  requests: number;
  duration_us: number;
  accepted: number;
  refused: number;
  socket_errors: number;
  p50_us: number;
  p99_us: number;
}

/**
 * One wrk run (`-t1 -c<connections>`); events carry ids `${prefix}-<thread>-<n>`. wrk gives up on
 * an answer after `timeoutS` (its default, 2 s); such a request counts as a socket error.
 */
export function runWrk(
  url: string,
  seconds: number,
  env: { prefix: string; site: string; events: number; connections: number; timeoutS?: number },
) {
  return new Promise<WrkResult>((resolve, reject) => {
    const args = ['-t1', `-c${env.connections}`, `-d${seconds}s`, '--timeout', `${env.timeoutS ?? 2}s`];
    args.push('-s', here('./ingest.lua'), `${url}/collect`);
    const child = spawn('wrk', args, {
      env: { ...process.env, FH_PREFIX: env.prefix, FH_SITE: env.site, FH_EVENTS: String(env.events) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FH_RESULT '));
      if (code !== 0 || !line) reject(new Error(`wrk failed (${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('FH_RESULT '.length)) as WrkResult);
    });
  });
}

/** A `Vm…` line of /proc/<pid>/status in MB (VmRSS: resident now; VmHWM: the peak since reset); 0 once it has ended. */
export function vmMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // the process has ended: the bench reports what failed instead of crashing here
  }
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

/** Resident set size of a process in MB, from /proc (the node process itself, chdb included). */
export const rssMb = (pid: number) => vmMb(pid, 'VmRSS');

/**
 * Sets a process's VmHWM back to its current RSS (`clear_refs` 5, Linux ≥ 4.0, our own child),
 * so the next VmHWM read is the peak of what ran in between. False where the kernel refuses.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples the RSS every 250 ms; the returned function stops and gives the highest seen (MB). */
export function sampleRss(pid: number, everyMs = 250): () => number {
  let max = rssMb(pid);
  const t = setInterval(() => {
    max = Math.max(max, rssMb(pid));
  }, everyMs);
  return () => {
    clearInterval(t);
    return Math.max(max, rssMb(pid));
  };
}

export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The p-th percentile (nearest rank below) of xs; NaN when empty. */
export const pct = (xs: readonly number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

/** The stored rows of the wrk runs' events, per run (id prefix): rows and distinct ids. */
export async function storedPerPrefix(store: Store): Promise<Map<string, { rows: number; ids: number }>> {
  const rows = await select<{ prefix: string; rows: string; ids: string }>(
    store,
    `SELECT splitByChar('-', event_id)[1] AS prefix, count() AS rows, uniqExact(event_id) AS ids
     FROM {db:Identifier}.events_v1 WHERE startsWith(event_id, 'w') GROUP BY prefix`,
  );
  return new Map(rows.map((r) => [r.prefix, { rows: Number(r.rows), ids: Number(r.ids) }]));
}

/**
 * What was sent in one wrk run: events acknowledged (202), requests made, events per request,
 * and how many requests may have been stored unanswered: those in flight at the end (one per
 * connection) and those wrk gave up on (its socket errors).
 */
export interface Sent {
  acked: number;
  requests: number;
  perRequest: number;
  unanswered: number;
}

export interface Audit {
  acked: number;
  ids: number;
  twice: number;
  /** Runs with fewer ids stored than acknowledged, or more than could have been in flight. */
  badRuns: number;
  extraMax: number;
}

/**
 * Every acknowledged event must be stored, once. wrk stops with up to one request per
 * connection in flight, and gives up on slow answers: the server may have stored those without
 * wrk seeing the answer, so a run may have up to `unanswered` × batch size more stored than
 * acknowledged, never fewer.
 */
export function audit(sent: Map<string, Sent>, stored: Map<string, { rows: number; ids: number }>): Audit {
  const a: Audit = { acked: 0, ids: 0, twice: 0, badRuns: 0, extraMax: 0 };
  for (const [prefix, s] of sent) {
    const st = stored.get(prefix) ?? { rows: 0, ids: 0 };
    a.acked += s.acked;
    a.ids += st.ids;
    a.twice += st.rows - st.ids;
    if (st.ids < s.acked) a.badRuns++;
    a.extraMax = Math.max(a.extraMax, st.ids - s.acked);
    if (st.ids - s.acked > s.unanswered * s.perRequest) a.badRuns++;
  }
  return a;
}

export function printAudit(a: Audit): void {
  console.log(
    `audit: ${a.acked.toLocaleString('en')} events acknowledged, ${a.ids.toLocaleString('en')} distinct ids stored; ` +
      `stored twice: ${a.twice}; runs with fewer stored than acknowledged (or more than in flight): ${a.badRuns}; ` +
      `most stored beyond acknowledged in one run (answers in flight when wrk stopped): ${a.extraMax}`,
  );
}
