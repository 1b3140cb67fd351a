/**
 * Reports benchmark (`pnpm bench reports [--sizes 1000000,10000000] [--runs 5] [--quick]`): every
 * report the dashboard reads, through the HTTP API of a real server process, at scale. For each
 * size and two distributions (realistic: 5–50 events per visitor; heavy units: 1,000 per visitor)
 * one site holds that many events, all in the 14 whole days before today (UTC), written straight
 * into ClickHouse (`report-events.ts`) while no server runs. Then a server starts on the data
 * directory, a 4-step shop funnel and an experiment are saved through the API, and each report
 * is read once to warm up and `--runs` times more: the dashboard's first page (its three requests
 * at once, then its comparison's two, over the whole range and over its second half), overview,
 * funnel results, experiment results, cart abandonment, revenue, attribution, products, forecast, orders
 * summary, the funnel correlation and the 3-level path tree (issues 29 and 30: each also against a hand-written
 * `GROUP BY`, `insights.ts`, timed after the server stops) and the first page of the export.
 * Prints per report and data set the median and p95 answer time and the server's peak RSS during
 * the report (VmHWM, reset before each request). A request that times out, or that the server
 * refuses (e.g. 422 past the query limits), is printed as such and ends that report's runs on
 * that data set. `--quick`: 200 k events per data set, a smoke run. `--only overview,first`: the
 * reports whose names start so. Asserts nothing.
 */
import type {
  AttributionResponse,
  CartAbandonmentResponse,
  CorrelationResult,
  ExperimentResult,
  ForecastResponse,
  FunnelResult,
  OrdersSummaryResponse,
  OverviewResponse,
  PathsResult,
  ProductsResponse,
  RevenueResponse,
} from '@funnelhouse/schemas';
import { openStore } from '@funnelhouse/server';
import { type ServerProcess, ServerRunner } from '../helpers/process.ts';
import { createSite } from '../helpers/server.ts';
import { type BaselineFigures, correlationBody, measureBaselines, pathsBody } from './insights.ts';
import { generateReportEvents, type ReportEventsShape, visitorsFor } from './report-events.ts';
import { loadAverage, pct, resetPeakRss, rssMb, sampleRss, vmMb } from './wrk.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const RANGE_DAYS = 14;
const KEY = 'bench-exp';
/** The server stops one query past this (`FUNNELHOUSE_QUERY_TIMEOUT_S`, 30 s by default). */
const QUERY_TIMEOUT_S = 280;
/** The bench gives up on an answer past this; below undici's 300 s wait for response headers. */
const REQUEST_TIMEOUT_MS = 290_000;
/** Rows of the export's first page (`PAGE_SIZE` in `server/src/api/export.ts`). */
const EXPORT_PAGE_ROWS = 5000;

/** How a distribution spreads a visitor's events (`report-events.ts`). */
const DISTRIBUTIONS = {
  realistic: { minPerVisitor: 5, maxPerVisitor: 50, perSession: 10, sessionGapMs: 20 * HOUR },
  'heavy units': { minPerVisitor: 1000, maxPerVisitor: 1000, perSession: 20, sessionGapMs: 6 * HOUR },
} as const;

interface DataSet {
  name: string;
  shape: ReportEventsShape;
  site: { id: string; api_key: string };
  funnelId?: string;
}

interface Measured {
  report: string;
  dataSet: string;
  ms: number[];
  rssMb: number;
  /** With `after`: the time to the last answer of those requests too. */
  msThen?: number[];
  /** Why the runs stopped early (timeout, an error answer). */
  failed?: string;
  /** What the warm-up answered, in brief. */
  answer?: string;
}

/**
 * One report request: its path and query, whether only the export's first page is read, and the
 * figures of its answer printed once (after the warm-up), to show it counted the data set.
 */
interface Report {
  name: string;
  path: (d: DataSet) => string;
  /** Requests sent at the same time as `path`'s (the dashboard's page): timed to the last answer. */
  also?: (d: DataSet) => string[];
  /**
   * Requests sent once those answered (the page's comparison, asked after its figures show):
   * the report then also prints the time to their last answer, as `<name> + comparison`.
   */
  after?: (d: DataSet) => string[];
  firstPage?: boolean;
  /** A JSON body: the request is a POST (the insights). */
  body?: (d: DataSet) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: each report casts its own answer type
  answer: (body: any) => string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function reports(fromMs: number, toMs: number): Report[] {
  // Bare dates: `to` includes its whole day, so the range is exactly [fromMs, toMs).
  const range = `from=${day(fromMs)}&to=${day(toMs - DAY)}&tz=UTC`;
  const site = (d: DataSet) => `/api/v1/sites/${d.site.id}`;
  const isoRange = { from: day(fromMs), to: day(toMs - DAY), tz: 'UTC' };
  /**
   * The dashboard's overview page as it loads (`dashboard/src/views/overview.tsx`): the overview,
   * the orders summary and the live visitors, which it shows as they answer; then the previous
   * period of as many days for the comparison (its overview with `limit=0`, totals and days
   * only, and its orders).
   */
  const firstPage = (days: number): Report => {
    const from = toMs - days * DAY;
    const now = `from=${day(from)}&to=${day(toMs - DAY)}&tz=UTC`;
    const before = `from=${day(from - days * DAY)}&to=${day(from - DAY)}&tz=UTC`;
    return {
      name: `first page, ${days} d`,
      path: (d) => `${site(d)}/overview?${now}&limit=10`,
      also: (d) => [`${site(d)}/orders/summary?${now}`, `${site(d)}/realtime`],
      after: (d) => [`${site(d)}/overview?${before}&limit=0`, `${site(d)}/orders/summary?${before}`],
      answer: ({ totals: t }: OverviewResponse) => `${t.events} events, ${t.visitors} visitors in the range`,
    };
  };
  return [
    firstPage(RANGE_DAYS),
    firstPage(RANGE_DAYS / 2),
    {
      name: 'overview',
      path: (d) => `${site(d)}/overview?${range}`,
      answer: ({ totals: t }: OverviewResponse) =>
        `${t.events} events, ${t.visitors} visitors, ${t.sessions} sessions, ${t.pageviews} pageviews`,
    },
    {
      name: 'funnel (4 steps)',
      path: (d) => `${site(d)}/funnels/${d.funnelId}/results?${range}`,
      answer: (r: FunnelResult) => `units per step ${r.overall.steps.map((s) => s.units).join(' → ')}`,
    },
    {
      name: 'experiment results',
      // As the dashboard's experiment view asks it: with the primary metric per day.
      path: (d) => `${site(d)}/experiments/${KEY}/results?${range}&over_time=1`,
      answer: (r: ExperimentResult) =>
        `units ${r.metrics[0]?.variants.map((v) => `${v.variant} ${v.units}`).join(', ')}; ${r.metrics.length} metrics`,
    },
    {
      name: 'carts (abandonment)',
      path: (d) => `${site(d)}/carts/abandonment?${range}`,
      answer: ({ totals: t }: CartAbandonmentResponse) =>
        `${t.carts} carts, ${t.abandoned} abandoned, ${t.recovered} recovered, ${t.purchased} purchased`,
    },
    {
      name: 'revenue',
      path: (d) => `${site(d)}/revenue?${range}`,
      answer: ({ totals: t }: RevenueResponse) =>
        `${t.visitors} visitors, ${t.orders} orders, ${t.by_currency.map((c) => `${c.currency} ${c.revenue}`).join(', ')}`,
    },
    {
      // Issue 30: channels, six models, the default 30-day lookback (the data holds no earlier days).
      name: 'attribution',
      path: (d) => `${site(d)}/attribution?${range}`,
      answer: (r: AttributionResponse) =>
        `${r.totals.orders} orders, ${r.totals.with_touch} with a touch, ${r.totals.touches} touches, ${r.models[0]?.rows.length} channels`,
    },
    {
      // Issue 30: per item, every row (the data's add_to_cart lines: 20 products; no view_item).
      name: 'products',
      path: (d) => `${site(d)}/products?${range}&limit=1000`,
      answer: (r: ProductsResponse) =>
        `${r.total} items, ${r.rows.reduce((n, x) => n + x.carts, 0)} item carts, ${r.rows.reduce((n, x) => n + x.abandoned_carts, 0)} abandoned`,
    },
    {
      // The history is the RANGE_DAYS days before today: the same days as the other reports.
      name: 'forecast',
      path: (d) => `${site(d)}/forecast?history_days=${RANGE_DAYS}&tz=UTC`,
      answer: (r: ForecastResponse) =>
        `${r.status}, ${r.history.days} days of history, ${r.history.orders} orders`,
    },
    {
      name: 'orders summary',
      path: (d) => `${site(d)}/orders/summary?${range}`,
      answer: ({ totals: t }: OrdersSummaryResponse) => `${t.orders} orders`,
    },
    {
      name: 'correlation',
      path: (d) => `${site(d)}/funnels/correlation`,
      body: () => correlationBody(isoRange),
      answer: (r: CorrelationResult) =>
        `${r.units.converted + r.units.dropped} units (${r.units.converted} converted), ${r.candidates_found} candidates found, ${r.tested} tested`,
    },
    {
      name: 'paths (3 levels)',
      path: (d) => `${site(d)}/paths`,
      body: () => pathsBody(isoRange),
      answer: (r: PathsResult) => `${r.units} units, ${r.nodes.length} nodes`,
    },
    {
      name: 'export, first page',
      path: (d) => `${site(d)}/events/export?${range}`,
      firstPage: true,
      answer: (lines: number) => `${lines} rows read`,
    },
  ];
}

/**
 * The insights' baselines (`insights.ts`), timed on each data set once the server has stopped (one
 * process per chdb directory), when the correlation, the paths or the products report ran.
 */
async function insightBaselines(
  dataDir: string,
  dataSets: DataSet[],
  chosen: Report[],
  o: { fromMs: number; toMs: number; runs: number },
): Promise<(BaselineFigures & { dataSet: string })[]> {
  const names = chosen
    .map((r) => r.name.split(' ')[0] ?? '')
    .filter((n) => n === 'correlation' || n === 'paths' || n === 'products');
  if (names.length === 0) return [];
  const store = await openStore({ kind: 'embedded', path: `${dataDir}/clickhouse`, database: 'funnelhouse' });
  const out: (BaselineFigures & { dataSet: string })[] = [];
  try {
    for (const d of dataSets) {
      const figures = await measureBaselines(store, { site: d.site.id, ...o, names });
      out.push(...figures.map((f) => ({ ...f, dataSet: d.name })));
    }
  } finally {
    await store.close();
  }
  return out;
}

/** The shop funnel: a product page, add to cart, checkout, purchase. */
const FUNNEL = {
  name: 'bench shop funnel',
  definition: {
    steps: [
      { label: 'Product', match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product/*' } }] },
      { label: 'Add to cart', match: [{ type: 'add_to_cart' }] },
      { label: 'Checkout', match: [{ type: 'begin_checkout' }] },
      { label: 'Purchase', match: [{ type: 'purchase' }] },
    ],
  },
};

/** As `pnpm bench experiment`: conversion to purchase, revenue per visitor, average order value. */
const EXPERIMENT = {
  key: KEY,
  name: 'bench experiment',
  variants: [
    { key: 'control', weight: 1 },
    { key: 'treatment', weight: 1 },
  ],
  control: 'control',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86_400 },
  secondary_metrics: [{ kind: 'revenue_per_visitor' }, { kind: 'average_order_value' }],
};

async function post(url: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Reads a body until `rows` lines have come (or it ends), then lets the rest go. */
async function readLines(body: ReadableStream<Uint8Array>, rows: number): Promise<number> {
  const reader = body.getReader();
  let lines = 0;
  while (lines < rows) {
    const { done, value } = await reader.read();
    if (done) return lines;
    for (const b of value) if (b === 10) lines++;
  }
  await reader.cancel();
  return lines;
}

/**
 * One request, timed to its whole answer (the first page for the export): the time and the
 * parsed answer (the export: its rows read). Throws a short reason.
 */
async function timedRequest(
  url: string,
  key: string,
  firstPage: boolean,
  json?: unknown,
): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(url, {
      headers: {
        authorization: `Bearer ${key}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { method: 'POST', body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.status !== 200) {
      const text = await res.text();
      const code = /"code":"([^"]+)"/.exec(text)?.[1] ?? text.slice(0, 80);
      throw new Error(`${res.status} ${code} after ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (firstPage && res.body) body = await readLines(res.body, EXPORT_PAGE_ROWS);
    else body = await res.json();
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new Error(`timeout (> ${REQUEST_TIMEOUT_MS / 1000} s)`);
    // undici's word for a body the server broke off (the export fails its stream mid-download).
    if ((err as Error).message === 'terminated') throw new Error('answer broken off by the server');
    throw err;
  }
  // Parsing the JSON is part of what a client waits for.
  return { ms: performance.now() - t, body };
}

/** Warm-up and `runs` requests of one report on one data set, with the server's peak RSS. */
async function measure(server: ServerProcess, report: Report, d: DataSet, runs: number): Promise<Measured> {
  const m: Measured = { report: report.name, dataSet: d.name, ms: [], rssMb: 0 };
  for (let i = -1; i < runs; i++) {
    // The peak since the reset, where the kernel allows it; otherwise sampled every 250 ms.
    const hwm = resetPeakRss(server.pid);
    const sampled = sampleRss(server.pid);
    try {
      const url = `${server.url}${report.path(d)}`;
      const t = performance.now();
      const [{ body }] = await Promise.all([
        timedRequest(url, d.site.api_key, report.firstPage === true, report.body?.(d)),
        ...(report.also?.(d) ?? []).map((p) => timedRequest(`${server.url}${p}`, d.site.api_key, false)),
      ]);
      const ms = performance.now() - t;
      if (report.after) {
        await Promise.all(
          report.after(d).map((p) => timedRequest(`${server.url}${p}`, d.site.api_key, false)),
        );
        if (i >= 0) {
          m.msThen ??= [];
          m.msThen.push(performance.now() - t);
        }
      }
      if (i >= 0) m.ms.push(ms);
      else m.answer = report.answer(body);
    } catch (err) {
      m.failed = `${i < 0 ? 'warm-up: ' : ''}${(err as Error).message}`;
    } finally {
      m.rssMb = Math.max(m.rssMb, sampled(), hwm ? vmMb(server.pid, 'VmHWM') : 0);
    }
    if (m.failed) break;
  }
  console.log(`  ${tableRow(m).replaceAll('\n', '\n  ')}${m.answer ? `\n      answer: ${m.answer}` : ''}`);
  return m;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');

function tableRow(m: Measured): string {
  const row = (report: string, ms: number[]) =>
    [
      report.padEnd(30),
      m.dataSet.padEnd(24),
      fmt(pct(ms, 50)).padStart(10),
      fmt(pct(ms, 95)).padStart(9),
      fmt(m.rssMb).padStart(12),
      String(ms.length).padStart(5),
      m.failed ? `  ${m.failed}` : '',
    ].join(' ');
  return [row(m.report, m.ms), ...(m.msThen ? [row(`${m.report} + comparison`, m.msThen)] : [])].join('\n');
}

const HEADER = `${'report'.padEnd(30)} ${'data set'.padEnd(24)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(9)} ${'peak RSS MB'.padStart(12)} ${'runs'.padStart(5)}`;

export async function benchReports(opts: {
  sizes: number[];
  runs: number;
  quick: boolean;
  /** Reports whose name starts with one of these (`--only overview,first`); all when absent. */
  only?: string[];
  dataDir: string;
}): Promise<void> {
  const sizes = opts.quick ? [200_000] : opts.sizes;
  const toMs = Math.floor(Date.now() / DAY) * DAY;
  const fromMs = toMs - RANGE_DAYS * DAY;
  const chosen = () =>
    reports(fromMs, toMs).filter((r) => !opts.only || opts.only.some((o) => r.name.startsWith(o)));
  console.log(
    `reports bench: ${sizes.map((n) => n.toLocaleString('en')).join(' and ')} events per data set, ${day(fromMs)} to ${day(toMs - DAY)} (UTC), warm-up + ${opts.runs} runs per report`,
  );
  console.log(`load average at start: ${loadAverage()}`);

  const runner = new ServerRunner(opts.dataDir, {
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_LOG_LEVEL: 'info',
    FUNNELHOUSE_QUERY_TIMEOUT_S: String(QUERY_TIMEOUT_S),
  });
  let server = await runner.start();
  const dataSets: DataSet[] = [];
  let seed = 0;
  for (const n of sizes) {
    for (const [dist, spread] of Object.entries(DISTRIBUTIONS)) {
      const name = `${n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`} ${dist}`;
      const site = await createSite(server, `bench reports ${name}`);
      const shape = { site: site.id, n, fromMs, toMs, key: KEY, seed: ++seed, ...spread };
      dataSets.push({ name, shape, site });
    }
  }
  await server.stop('SIGTERM');

  // One process per chdb directory: the data sets are written while no server runs.
  const store = await openStore({
    kind: 'embedded',
    path: `${opts.dataDir}/clickhouse`,
    database: 'funnelhouse',
  });
  for (const d of dataSets) {
    const t = performance.now();
    await generateReportEvents(store, d.shape);
    console.log(
      `${d.name}: ${d.shape.n.toLocaleString('en')} events, ~${visitorsFor(d.shape).toLocaleString('en')} visitors, written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const t = performance.now();
  // Merged parts, as a table at rest has: background merges would otherwise run under the reports.
  await store.ch.command({ query: `OPTIMIZE TABLE ${store.db}.events_v1 FINAL` });
  console.log(`OPTIMIZE FINAL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await store.close();

  server = await runner.start();
  console.log(`server RSS at rest: ${rssMb(server.pid).toFixed(0)} MB`);
  const results: Measured[] = [];
  for (const d of dataSets) {
    const funnel = await post(`${server.url}/api/v1/sites/${d.site.id}/funnels`, d.site.api_key, FUNNEL);
    d.funnelId = String(funnel.id);
    await post(`${server.url}/api/v1/sites/${d.site.id}/experiments`, d.site.api_key, EXPERIMENT);
    console.log(`${d.name}:`);
    for (const r of chosen()) results.push(await measure(server, r, d, opts.runs));
  }
  await server.stop('SIGTERM');
  const baselines = await insightBaselines(opts.dataDir, dataSets, chosen(), {
    fromMs,
    toMs,
    runs: opts.runs,
  });

  console.log(`\n${HEADER}`);
  for (const r of chosen()) {
    for (const m of results.filter((x) => x.report === r.name)) console.log(tableRow(m));
  }
  for (const b of baselines) {
    const ours = results.find((m) => m.dataSet === b.dataSet && m.report.startsWith(b.name));
    const median = ours ? pct(ours.ms, 50) : Number.NaN;
    console.log(
      `${`${b.name} baseline`.padEnd(20)} ${b.dataSet.padEnd(24)} ${fmt(b.ms).padStart(10)}   ours ${fmt(median)} ms, ratio ${(median / b.ms).toFixed(2)}x (${b.answer})`,
    );
  }
  console.log(
    'targets at 10 M events: overview, revenue, carts, forecast and experiment results <= 1000 ms median;\n' +
      '         funnels <= 2x windowFunnel on both distributions (`pnpm bench funnel`);\n' +
      '         correlation, paths and products <= 2000 ms median and <= 2x their hand-written GROUP BY',
  );
  console.log(`load average at end: ${loadAverage()}`);
}
