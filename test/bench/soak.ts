/**
 * Soak (`pnpm bench soak [--minutes 5]`): a real server process on a fresh data directory under a
 * moderate, steady load for `--minutes`: `wrk -t1 -c10` posting batches of 20 pageviews
 * (`ingest.lua`, unique ids), and from this process an overview and a funnel (both over the last
 * 7 days, which holds everything the load sent) every 5 s, the next pair only once the last one
 * has answered. Every second the server's RSS is read from /proc and `/readyz` is asked (an
 * answer other than 200, or none within 5 s, counts as not ready). At the end: RSS max and p50,
 * `/readyz` failures, the reports' latency (median, p95, max; the first minute against the last),
 * and, with the server stopped, the audit: every acknowledged event stored once (`wrk.ts`).
 * Prints figures against the targets of issue 28; asserts nothing.
 */
import { openStore } from '@funnelhouse/server';
import { ServerRunner, waitDrained } from '../helpers/process.ts';
import { createSite } from '../helpers/server.ts';
import { audit, loadAverage, pct, printAudit, rssMb, runWrk, type Sent, storedPerPrefix } from './wrk.ts';

const CONNECTIONS = 10;
const BATCH = 20;
const REPORT_EVERY_MS = 5000;
/** What a report request may take before the soak counts it as failed (the server's limit is 30 s). */
const REPORT_TIMEOUT_MS = 60_000;

/** A funnel over the pages `ingest.lua` sends: any pageview, then product 1, then product 2. */
const FUNNEL = {
  name: 'soak funnel',
  definition: {
    steps: [
      { match: [{ type: 'pageview' }] },
      { match: [{ type: 'pageview', path: { op: 'exact', value: '/product/1' } }] },
      { match: [{ type: 'pageview', path: { op: 'exact', value: '/product/2' } }] },
    ],
  },
};

interface Sample {
  /** Seconds since the load started. */
  at: number;
  ms: number;
  /** Status, or `timeout`/`error`. */
  status: string;
}

async function timed(url: string, key: string, at: number): Promise<Sample> {
  const t = performance.now();
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(REPORT_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { at, ms: performance.now() - t, status: String(res.status) };
  } catch (err) {
    const name = (err as Error).name;
    return { at, ms: performance.now() - t, status: name === 'TimeoutError' ? 'timeout' : 'error' };
  }
}

const fmt = (xs: number[]) =>
  xs.length === 0
    ? '-'
    : `${pct(xs, 50).toFixed(0)} / ${pct(xs, 95).toFixed(0)} / ${Math.max(...xs).toFixed(0)} ms (${xs.length})`;

function printLatency(name: string, samples: Sample[], seconds: number): void {
  const ok = samples.filter((s) => s.status === '200');
  const failed = samples.length - ok.length;
  const firstMin = ok.filter((s) => s.at < 60).map((s) => s.ms);
  const lastMin = ok.filter((s) => s.at >= seconds - 60).map((s) => s.ms);
  const minutes = Math.ceil(seconds / 60);
  const byMinute = Array.from({ length: minutes }, (_, m) =>
    ok.filter((s) => Math.min(minutes - 1, Math.floor(s.at / 60)) === m).map((s) => s.ms),
  );
  console.log(
    `${name.padEnd(9)} median by minute: ${byMinute.map((xs) => (xs.length ? `${(pct(xs, 50) / 1000).toFixed(1)} s` : '-')).join(', ')}`,
  );
  console.log(
    `${name.padEnd(9)} median / p95 / max: all ${fmt(ok.map((s) => s.ms))}; first minute ${fmt(firstMin)}; last minute ${fmt(lastMin)}; failed ${failed}${
      failed
        ? ` (${[...new Set(samples.filter((s) => s.status !== '200').map((s) => s.status))].join(', ')})`
        : ''
    }`,
  );
}

export async function benchSoak(opts: { minutes: number; dataDir: string }): Promise<void> {
  const seconds = Math.round(opts.minutes * 60);
  console.log(
    `soak: ${seconds} s of wrk -t1 -c${CONNECTIONS}, batches of ${BATCH}; an overview and a funnel every ${REPORT_EVERY_MS / 1000} s`,
  );
  console.log(`load average at start: ${loadAverage()}`);
  const runner = new ServerRunner(opts.dataDir, {
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_LOG_LEVEL: 'info',
  });
  const server = await runner.start();
  const site = await createSite(server, 'soak');
  const auth = { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' };
  const saved = await fetch(`${server.url}/api/v1/sites/${site.id}/funnels`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(FUNNEL),
  });
  if (saved.status !== 201) throw new Error(`saving the funnel: ${saved.status} ${await saved.text()}`);
  const funnelId = ((await saved.json()) as { id: string }).id;
  const base = `${server.url}/api/v1/sites/${site.id}`;
  const rss: number[] = [];
  const ready = { asked: 0, failed: 0 };
  const overview: Sample[] = [];
  const funnel: Sample[] = [];
  let skipped = 0;
  const asking: Promise<void>[] = [];

  const t0 = performance.now();
  const since = () => (performance.now() - t0) / 1000;
  let running = true;
  const everySecond = setInterval(() => {
    rss.push(rssMb(server.pid));
    ready.asked++;
    asking.push(
      fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5000) })
        .then(async (r) => {
          await r.arrayBuffer();
          if (r.status !== 200) ready.failed++;
        })
        .catch(() => {
          ready.failed++;
        }),
    );
  }, 1000);
  const reportLoop = (async () => {
    while (running) {
      const start = performance.now();
      const at = since();
      const [o, f] = await Promise.all([
        timed(`${base}/overview?range=7d`, site.api_key, at),
        timed(`${base}/funnels/${funnelId}/results?range=7d`, site.api_key, at),
      ]);
      overview.push(o);
      funnel.push(f);
      const took = performance.now() - start;
      skipped += Math.floor(took / REPORT_EVERY_MS);
      const wait = REPORT_EVERY_MS - (took % REPORT_EVERY_MS);
      if (running) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const wrk = await runWrk(server.url, seconds, {
    prefix: 'w1',
    site: site.site_key,
    events: BATCH,
    connections: CONNECTIONS,
    // Slow answers are part of what the soak measures: wrk waits for them (its default is 2 s).
    timeoutS: 30,
  });
  running = false;
  clearInterval(everySecond);
  await reportLoop;
  await Promise.all(asking);
  const sent = new Map<string, Sent>([
    [
      'w1',
      {
        acked: wrk.accepted * BATCH,
        requests: wrk.requests,
        perRequest: BATCH,
        unanswered: CONNECTIONS + wrk.socket_errors,
      },
    ],
  ]);
  await waitDrained(server.url, 600_000);
  await server.stop('SIGTERM');

  const store = await openStore({
    kind: 'embedded',
    path: `${opts.dataDir}/clickhouse`,
    database: 'funnelhouse',
  });
  const stored = await storedPerPrefix(store);
  await store.close();

  const secs = wrk.duration_us / 1e6;
  console.log(
    `load: ${(wrk.accepted / secs).toFixed(0)} requests/s acknowledged = ${((wrk.accepted * BATCH) / secs).toFixed(0)} events/s, p50 ${(wrk.p50_us / 1000).toFixed(1)} ms, p99 ${(wrk.p99_us / 1000).toFixed(1)} ms, not 202 ${wrk.refused}, socket errors or no answer within 30 s ${wrk.socket_errors}`,
  );
  console.log(
    `server RSS (every second, ${rss.length} samples): max ${Math.max(...rss).toFixed(0)} MB, p50 ${pct(rss, 50).toFixed(0)} MB, first ${rss[0]?.toFixed(0)} MB, last ${rss[rss.length - 1]?.toFixed(0)} MB`,
  );
  const rssByMinute = Array.from({ length: Math.ceil(rss.length / 60) }, (_, m) =>
    Math.max(...rss.slice(m * 60, m * 60 + 60)).toFixed(0),
  );
  console.log(`server RSS max by minute: ${rssByMinute.join(', ')} MB`);
  console.log(`/readyz: asked ${ready.asked} times, not 200 (or no answer within 5 s): ${ready.failed}`);
  printLatency('overview', overview, seconds);
  printLatency('funnel', funnel, seconds);
  if (skipped > 0) console.log(`report ticks skipped while the previous pair was still running: ${skipped}`);
  const a = audit(sent, stored);
  printAudit(a);
  console.log(
    `targets: RSS <= 1024 MB (${Math.max(...rss) <= 1024 ? 'met' : 'missed'}), nothing lost (${a.badRuns === 0 && a.twice === 0 ? 'met' : 'missed'}), /readyz always 200 (${ready.failed === 0 ? 'met' : 'missed'})`,
  );
  console.log(`load average at end: ${loadAverage()}`);
}
