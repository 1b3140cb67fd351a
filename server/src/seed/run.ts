import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DATA_DIR } from '../config.ts';
import { readLocalServer } from '../local-server.ts';
import { BUNDLE_EXPERIMENT, CTA_EXPERIMENT } from './experiment.ts';
import { DEMO_SITE_ID, SEEDED_DEFINITIONS, saveDefinition } from './experiment-definition.ts';
import { generateTraffic } from './generate.ts';
import { type PostResult, postTraffic } from './post.ts';
import { COLLECT_HORIZON_MS, postHistory, splitAt } from './post-history.ts';
import { SITE_SEARCH } from './search.ts';
import { type ProductSample, summarizeTraffic, type TrafficSummary } from './summary.ts';

const USAGE = `Usage: pnpm seed [--url URL] [--site-key KEY] [--seed N] [--visitors N] [--concurrency N]
                 [--days N --site ID (--key API_KEY | --admin-key ADMIN_KEY)]

Posts deterministic synthetic shop traffic from the last 48 hours through POST /collect.
  --url          server base URL               (default: the server \`npm start\` runs on this
                                               machine, on any port; else http://localhost:8787)
  --site-key     public site key               (default demo)
  --seed         random seed; same seed = same traffic and event ids (default 1)
  --visitors     visitors to simulate          (default 1000, at most 100000)
  --concurrency  visitors posted in parallel   (default 64)
  --days         spread the traffic over the last N days (at most 730): the last 47 hours go
                 through /collect, older events through the server events API, which needs
  --site         the site id                   (default demo)
  --key          a secret API key of the site  (or env FUNNELHOUSE_API_KEY), or
  --admin-key    the admin key, to make one    (or env FUNNELHOUSE_ADMIN_KEY)`;

/** Where a server started with no PORT answers. */
const DEFAULT_URL = 'http://localhost:8787';

const argsSchema = z.object({
  url: z.url(),
  'site-key': z.string().min(1).max(128).default('demo'),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  visitors: z.coerce.number().int().min(1).max(100_000).default(1000),
  concurrency: z.coerce.number().int().min(1).max(256).default(64),
  days: z.coerce.number().int().min(1).max(730).optional(),
  site: z.string().min(1).max(128).default('demo'),
  key: z.string().min(1).optional(),
  'admin-key': z.string().min(1).optional(),
});
export type SeedArgs = z.infer<typeof argsSchema>;

/** Parses command-line flags; throws a readable message for bad ones. */
export function parseSeedArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): SeedArgs | 'help' {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      url: { type: 'string' },
      'site-key': { type: 'string' },
      seed: { type: 'string' },
      visitors: { type: 'string' },
      concurrency: { type: 'string' },
      days: { type: 'string' },
      site: { type: 'string' },
      key: { type: 'string' },
      'admin-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const parsed = argsSchema.safeParse({
    url: readLocalServer(env.FUNNELHOUSE_DATA_DIR ?? DEFAULT_DATA_DIR) ?? DEFAULT_URL,
    key: env.FUNNELHOUSE_API_KEY,
    'admin-key': env.FUNNELHOUSE_ADMIN_KEY,
    ...values,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid arguments:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * `pnpm seed`: generate, post, print a summary and how to look at the result.
 * @returns the process exit code.
 */
export async function runSeed(
  argv: readonly string[],
  print: (line: string) => void,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  let args: SeedArgs | 'help';
  try {
    args = parseSeedArgs(argv, env);
  } catch (err) {
    print(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    print(USAGE);
    return 0;
  }
  const url = args.url.replace(/\/+$/, '');
  if (!(await reachable(url))) {
    print(`No Funnelhouse server answers at ${url}. Start one with \`npm start\`, or pass --url.`);
    return 1;
  }
  const hours = args.days ? args.days * 24 : 48;
  const traffic = generateTraffic({ seed: args.seed, visitors: args.visitors, now: Date.now(), hours });
  const summary = summarizeTraffic(traffic);
  print(`Seeding ${url} (site key "${args['site-key']}", seed ${args.seed}): last ${traffic.hours} hours`);
  // Without --days everything is recent enough for /collect (48 h < its 72 h freshness limit).
  const cutoff = args.days ? traffic.now - COLLECT_HORIZON_MS : Number.NEGATIVE_INFINITY;
  const { recent, history, crawlerHistory } = splitAt(traffic.visitors, cutoff);
  let past: PostResult | undefined;
  // A secret key (given, or made with the admin key) also saves the experiment's definition.
  const apiKey = args.key ?? (await mintKey(url, args.site, args['admin-key']));
  if (history.length > 0) {
    if (!apiKey) {
      print(
        '--days needs a secret API key of the site: pass --key (or FUNNELHOUSE_API_KEY), or --admin-key.',
      );
      return 2;
    }
    try {
      past = await postHistory(history, { url, siteId: args.site, apiKey });
    } catch (err) {
      print(`The server events API refused the history: ${(err as Error).message}`);
      return 1;
    }
    past.dropped += crawlerHistory;
    past.sent += crawlerHistory;
    print(`  history      ${past.sent} events before the last 47 hours through the server events API`);
  }
  const result = await postTraffic(recent, {
    url,
    siteKey: args['site-key'],
    concurrency: args.concurrency,
  });
  const total = past ? combine(past, result) : result;
  for (const line of report(summary, total, args, traffic.now - traffic.hours * 3_600_000)) print(line);
  for (const line of await experimentLines(url, args, apiKey)) print(line);
  return total.failures.length > 0 ? 1 : 0;
}

/**
 * Saves the seeded definitions when a key is at hand; the demo site has them from its first
 * start, so without a key only another site needs telling how. Then where their results are.
 */
async function experimentLines(url: string, args: SeedArgs, apiKey: string | undefined): Promise<string[]> {
  const site = encodeURIComponent(args.site);
  const results = (key: string) =>
    `  curl -H "Authorization: Bearer $${apiKey ? 'API_KEY' : 'DEMO_API_KEY'}" "${url}/api/v1/sites/${site}/experiments/${key}/results?range=7d"`;
  const lines: string[] = [];
  for (const d of SEEDED_DEFINITIONS) {
    if (!apiKey && args.site === DEMO_SITE_ID) {
      lines.push('', `Experiment ${d.key} is defined on the demo site; its results:`, results(d.key));
      continue;
    }
    if (!apiKey) {
      lines.push(
        '',
        `Define the ${d.key} experiment to read its results (or pass --key / --admin-key to pnpm seed):`,
        `  curl -X POST -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" "${url}/api/v1/sites/${site}/experiments" -d '${JSON.stringify(d)}'`,
        results(d.key),
      );
      continue;
    }
    const saved = await saveDefinition(url, args.site, apiKey, d);
    if (typeof saved === 'object')
      lines.push('', `  REFUSED      the ${d.key} definition: HTTP ${saved.status}`);
    else lines.push('', `Experiment ${d.key} ${saved} for site ${args.site}; its results:`, results(d.key));
  }
  return lines;
}

function combine(a: PostResult, b: PostResult): PostResult {
  return {
    requests: a.requests + b.requests,
    sent: a.sent + b.sent,
    accepted: a.accepted + b.accepted,
    dropped: a.dropped + b.dropped,
    failures: [...a.failures, ...b.failures],
    ms: a.ms + b.ms,
  };
}

/** Makes a fresh API key for the site with the admin key (`POST /api/v1/sites/:id/keys`). */
async function mintKey(url: string, site: string, adminKey: string | undefined): Promise<string | undefined> {
  if (!adminKey) return undefined;
  const res = await fetch(`${url}/api/v1/sites/${encodeURIComponent(site)}/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
  });
  if (res.status !== 201) return undefined;
  return ((await res.json()) as { api_key: string }).api_key;
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

function report(s: TrafficSummary, r: PostResult, args: SeedArgs, from: number): string[] {
  const { red, green } = s.experiment;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const rate = (v: typeof red) => (v.checkouts ? pct(v.purchases / v.checkouts) : 'n/a');
  const aov = (b: { orders: number; revenue: number }) =>
    b.orders ? (b.revenue / b.orders).toFixed(2) : 'n/a';
  const { searched, others } = s.search;
  const bought = (x: ProductSample) =>
    `${x.buyers}/${x.viewers} = ${x.viewers ? pct(x.buyers / x.viewers) : 'n/a'}`;
  const lines = [
    `  visitors     ${s.visitors} (${s.people} people, ${s.crawlers} crawlers, dropped as bots)`,
    `  the overview will show ${s.people} visitors, ${s.sessions} sessions, ${s.orders} orders`,
    `  events       ${r.sent} sent, ${r.accepted} accepted, ${r.dropped} dropped (crawler events: ${s.crawlerEvents})`,
    `  speed        ${r.requests} requests in ${(r.ms / 1000).toFixed(2)} s = ${Math.round(r.sent / (r.ms / 1000))} events/s (concurrency ${args.concurrency})`,
    `  experiment   ${CTA_EXPERIMENT.key}: true checkout → purchase rate red ${pct(red.trueRate)}, green ${pct(green.trueRate)} (green +${pct(green.trueRate - red.trueRate)} absolute, +${pct(green.trueRate / red.trueRate - 1)} relative)`,
    `               this sample: red ${red.purchases}/${red.checkouts} = ${rate(red)}, green ${green.purchases}/${green.checkouts} = ${rate(green)}`,
    `  experiment   ${BUNDLE_EXPERIMENT.key}: true effect: orders in bundle are ${Math.round(BUNDLE_EXPERIMENT.kitShare * 100)} % bigger (the care kit), conversion the same`,
    `               this sample: average order none ${aov(s.bundle.none)}, bundle ${aov(s.bundle.bundle)} (exposed ${s.bundle.none.exposed} and ${s.bundle.bundle.exposed}, ${s.bundle.none.orders} and ${s.bundle.bundle.orders} orders, currencies mixed)`,
    `  signal       ${SITE_SEARCH.name}: ${pct(SITE_SEARCH.share)} of visitors use the site search and buy about twice as often`,
    `               this sample, of those who viewed a product: searched ${bought(searched)}, others ${bought(others)}`,
  ];
  for (const f of summarizeFailures(r.failures)) lines.push(`  REFUSED      ${f}`);
  if (r.failures.some((f) => f.code === 'unknown_site_key')) {
    lines.push(
      `  The site key "${args['site-key']}" is unknown: create a site (POST /api/v1/sites) or pass --site-key.`,
    );
  }
  const site = args['site-key'] === 'demo' ? 'demo' : 'SITE_ID';
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  lines.push(
    '',
    `See it in the dashboard: open ${args.url.replace(/\/+$/, '')}/ and sign in with the demo API key (printed by the first \`npm start\`),`,
    'or with curl (after the `export DEMO_API_KEY=…` line that `npm start` printed):',
    `  curl -H "Authorization: Bearer $DEMO_API_KEY" "${args.url.replace(/\/+$/, '')}/api/v1/sites/${site}/overview?${args.days && args.days > 7 ? `from=${day(from)}&to=${day(Date.now())}` : 'range=7d'}"`,
    'Countries come from X-Forwarded-For, which the server reads only with FUNNELHOUSE_TRUST_PROXY=1 (`pnpm start` sets it).',
    `Running the same seed again resends the same event ids, which reports count once: use --seed ${args.seed + 1} for more traffic.`,
  );
  return lines;
}

function summarizeFailures(failures: PostResult['failures']): string[] {
  const counts = new Map<string, number>();
  for (const f of failures) {
    const k = `${f.status} ${f.code}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} batch(es): ${k}`);
}
