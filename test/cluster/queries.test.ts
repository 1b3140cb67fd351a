import type { ExperimentMetric } from '@funnelhouse/schemas';
import { type Store, select } from '@funnelhouse/server';
import { openStore } from '@funnelhouse/server/clickhouse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  placeMigrations,
  stripClusterParts as strip,
  stripClusterParts,
} from '../../server/src/clickhouse/cluster-ddl.ts';
import { listMigrations, migrate } from '../../server/src/clickhouse/migrate.ts';
import {
  addShardRows,
  experimentSumsRow,
  experimentSumsSql,
} from '../../server/src/experiments/queries/getExperimentSums.ts';
import { funnelLevelsSql } from '../../server/src/funnels/queries/getFunnelLevels.ts';
import { sqlFor as deleteVisitorSql } from '../../server/src/queries/deleteVisitorEvents.ts';
import { getOrdersSummary } from '../../server/src/queries/getOrdersSummary.ts';
import { getOverviewCounts } from '../../server/src/queries/getOverviewCounts.ts';
import { getTopValues } from '../../server/src/queries/getTopValues.ts';
import { rollupSource } from '../../server/src/sql/segment.ts';
import { KEY, rowsArb, scopeArb } from '../experiments/generators.ts';
import { funnelCaseArb } from '../funnels/generators.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Cluster-mode queries, held to the single-node ones on a two-shard cluster emulated on the
 * embedded engine. Database `single` holds every row; `shard1` and `shard2` each hold the rows a
 * Distributed table sharded by `sipHash64(visitor_id)` over two equal shards sends them
 * (`sipHash64(visitor_id) % 2`), in their `events_v1_local`; `dist.events_v1` is a Merge table
 * over both, standing for the Distributed table. The cluster query's cluster part,
 * `cluster(name, view(Q))`, becomes `(Q on shard1 UNION ALL Q on shard2)`: what the server runs
 * on one replica of each shard and streams to the initiator. Everything else of the text runs as
 * generated. The answers must equal the single-node query's on `single`.
 */
const CLUSTER = 'events';
/** Every kind of metric the shard-local experiment query computes. */
const EXPERIMENT_METRICS: ExperimentMetric[] = [
  { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 3600 },
  { kind: 'revenue_per_visitor' },
  { kind: 'orders_per_visitor' },
  { kind: 'average_order_value' },
  { kind: 'property_sum', property: 'amt' },
  {
    kind: 'funnel',
    window_seconds: 3600,
    steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }],
  },
];
const dir = tempDir();
let store: Store;
const SHARDS = ['shard1', 'shard2'];
const on = (db: string): Store => ({ ...store.analytics, db });

beforeAll(async () => {
  store = await openStore({ kind: 'embedded', path: dir.path, database: 'single' });
  await migrate(store);
  for (const db of SHARDS) {
    await store.ch.command({ query: `CREATE DATABASE ${db}` });
    for (const m of placeMigrations(listMigrations(), { db, cluster: CLUSTER }))
      for (const s of m.statements) await store.ch.command({ query: stripClusterParts(s) });
  }
  await store.ch.command({ query: 'CREATE DATABASE dist' });
  await store.ch.command({
    query: `CREATE TABLE dist.events_v1 AS single.events_v1 ENGINE = Merge(REGEXP('^shard[12]$'), '^events_v1_local$')`,
  });
}, 120_000);
afterAll(async () => {
  await store.close();
  dir.remove();
});

/**
 * Stores rows as one node does and as the two shards would. Visitor ids get the site as prefix
 * (the generators reuse `v1`, `v2`, … in every case), so each case's visitors spread over both
 * shards; empty ids stay empty.
 */
async function insert(generated: { site_id: string; visitor_id: string }[]): Promise<void> {
  if (generated.length === 0) return;
  const rows = generated.map((r) => ({ ...r, visitor_id: r.visitor_id && `${r.site_id}-${r.visitor_id}` }));
  await store.ch.insert({ table: 'single.events_v1', values: rows, format: 'JSONEachRow' });
  const sites = [...new Set(rows.map((r) => (r as { site_id: string }).site_id))];
  for (const [i, db] of SHARDS.entries()) {
    await store.ch.command({
      query: `INSERT INTO ${db}.events_v1_local SELECT * FROM single.events_v1
              WHERE site_id IN {sites:Array(String)} AND sipHash64(visitor_id) % 2 = ${i}`,
      query_params: { sites },
    });
  }
}

/** The cluster text with `cluster(name, view(Q))` run as the union of Q on each shard. */
function emulate(sql: string): string {
  const open = `cluster(\`${CLUSTER}\`, view(`;
  let out = sql;
  for (let at = out.indexOf(open); at >= 0; at = out.indexOf(open)) {
    let depth = 2;
    let i = at + open.length;
    for (; depth > 0; i++) depth += out[i] === '(' ? 1 : out[i] === ')' ? -1 : 0;
    const inner = out.slice(at + open.length, i - 2);
    const parts = SHARDS.map((db) => inner.replaceAll('{db:Identifier}', `\`${db}\``));
    out = `${out.slice(0, at)}(${parts.join('\nUNION ALL\n')})${out.slice(i)}`;
  }
  return out;
}

/** Rows with floats rounded: sums over shards add in another order than one node's sums. */
const rounded = (rows: unknown[]) =>
  JSON.parse(
    JSON.stringify(rows, (_k, v) =>
      typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v,
    ),
  );

describe('cluster-mode query text', () => {
  it('is the single-node text with the per-unit part on every shard (snapshots)', async () => {
    const [c] = fc.sample(funnelCaseArb, { seed: 7, numRuns: 1 });
    if (!c) throw new Error('no case');
    const def = { ...c.def, unit: 'visitor' as const };
    const o = { ...c.o, cohorts: 'all' as const };
    const cluster = funnelLevelsSql('s', def, o, CLUSTER).text;
    expect(cluster).toContain('cluster(`events`, view(');
    expect(cluster).toContain('{db:Identifier}.events_v1_local');
    expect(cluster).not.toMatch(/events_v1\b(?!_local)/);
    await expect(cluster).toMatchFileSnapshot('__sql__/funnel-levels.cluster.sql');
    const single = funnelLevelsSql('s', { ...def, unit: 'user' }, o, CLUSTER).text;
    expect(single).toBe(funnelLevelsSql('s', { ...def, unit: 'user' }, o, undefined).text);
    const scope = {
      range: { site: 's', fromMs: 0, toMs: 1, tz: 'UTC' },
      key: KEY,
      exposedFromMs: 0,
      exposedToMs: 1,
    };
    const sums = experimentSumsSql(scope, EXPERIMENT_METRICS, CLUSTER);
    expect(sums.perShard).toBe(true);
    expect(sums.sql).toContain('cluster(`events`, view(');
    expect(sums.sql).not.toMatch(/events_v1\b(?!_local)/);
    await expect(sums.sql).toMatchFileSnapshot('__sql__/experiment-sums.cluster.sql');
    // A user can span shards, and a percentile needs every unit: both read the Distributed table.
    for (const [s, m] of [
      [{ ...scope, unit: 'user' as const }, EXPERIMENT_METRICS],
      [scope, [{ kind: 'revenue_per_visitor', cap: { percentile: 0.9 } }] as ExperimentMetric[]],
    ] as const) {
      const q = experimentSumsSql(s, m, CLUSTER);
      expect(q.perShard).toBe(false);
      expect(q.sql).toBe(experimentSumsSql(s, m, undefined).sql);
    }
  });
});

describe('cluster-mode queries on two emulated shards', () => {
  it('funnel levels: the same answers as one node, for every unit kind', async () => {
    const cases = fc.sample(funnelCaseArb, { seed: 181, numRuns: 16 });
    const seen = { shardLocal: 0, spanning: 0, reached: 0 };
    for (const [i, c] of cases.entries()) {
      const site = `f${i}`;
      await insert(c.rows.map((r) => ({ ...r, site_id: site })));
      const o = { ...c.o, cohorts: i % 2 === 0 ? ('all' as const) : ('mature' as const) };
      const one = funnelLevelsSql(site, c.def, o, undefined);
      const many = funnelLevelsSql(site, c.def, o, CLUSTER);
      if (many.text.includes('view(')) seen.shardLocal++;
      else seen.spanning++;
      const want = await select(on('single'), one.text, one.params);
      const got = await select(on('dist'), emulate(many.text), many.params);
      expect(rounded(got)).toEqual(rounded(want));
      seen.reached += want.length;
    }
    expect(seen.shardLocal).toBeGreaterThan(3);
    expect(seen.reached).toBeGreaterThan(20);
    // The split is real: both shards hold rows, and no visitor of a site is on both.
    const [split] = await select<{ a: string; b: string; both: string }>(
      store,
      `SELECT (SELECT count() FROM shard1.events_v1_local) AS a, (SELECT count() FROM shard2.events_v1_local) AS b,
              (SELECT count() FROM (SELECT site_id, visitor_id FROM shard1.events_v1_local
                 INTERSECT SELECT site_id, visitor_id FROM shard2.events_v1_local)) AS both`,
    );
    expect(Number(split?.a)).toBeGreaterThan(50);
    expect(Number(split?.b)).toBeGreaterThan(50);
    expect(Number(split?.both)).toBe(0);
  }, 180_000);

  it('experiment sums: the same per-variant statistics as one node', async () => {
    const runs = fc.sample(fc.tuple(rowsArb('_'), scopeArb), { seed: 182, numRuns: 16 });
    let units = 0;
    for (const [i, [generated, scope]] of runs.entries()) {
      const site = `x${i}`;
      await insert(generated.map((r) => ({ ...r, site_id: site })));
      const s = { range: { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' }, key: KEY, ...scope };
      const cap = i % 3 === 0 ? 40 : undefined;
      const metrics = EXPERIMENT_METRICS.map((m) => ('cap' in m ? { ...m, cap } : m)) as ExperimentMetric[];
      const one = experimentSumsSql(s, metrics, undefined);
      const many = experimentSumsSql(s, metrics, CLUSTER);
      const parse = (rows: unknown[]) => rows.map((r) => experimentSumsRow.parse(r));
      const want = parse(await select(on('single'), one.sql, one.params));
      const got = addShardRows(parse(await select(on('dist'), emulate(many.sql), many.params)));
      expect(rounded(got)).toEqual(rounded(want));
      // The queries left as written read the Distributed table (here its stand-in over both
      // shards): plain aggregates, orders grouped by order_id across shards.
      const r = s.range;
      // Unfiltered, and filtered to one device (the dashboard's click-to-filter).
      for (const seg of [{}, { device: 'desktop' }]) {
        expect(await getOverviewCounts(on('dist'), r, rollupSource(r, seg))).toEqual(
          await getOverviewCounts(on('single'), r, rollupSource(r, seg)),
        );
        expect(await getTopValues(on('dist'), r, { limit: 10, source: rollupSource(r, seg) })).toEqual(
          await getTopValues(on('single'), r, { limit: 10, source: rollupSource(r, seg) }),
        );
        expect(rounded(await getOrdersSummary(on('dist'), r, rollupSource(r, seg)))).toEqual(
          rounded(await getOrdersSummary(on('single'), r, rollupSource(r, seg))),
        );
      }
      units += want.reduce((n, r) => n + r.n, 0);
    }
    expect(units).toBeGreaterThan(10);
  }, 180_000);

  it('erasure: the mutation runs on every shard’s local table, and leaves what one node leaves', async () => {
    const text = deleteVisitorSql(CLUSTER);
    expect(text).toContain('ALTER TABLE {db:Identifier}.events_v1_local ON CLUSTER `events`');
    await expect(text).toMatchFileSnapshot('__sql__/delete-visitor-events.cluster.sql');
    const [victim] = await select<{ site: string; visitor: string }>(
      on('single'),
      `SELECT site_id AS site, visitor_id AS visitor FROM {db:Identifier}.events_v1
       WHERE visitor_id != '' ORDER BY site_id, visitor_id LIMIT 1`,
    );
    if (!victim) throw new Error('no rows');
    const run = (db: string, sql: string) =>
      store.ch.command({
        query: sql,
        query_params: { db, ...victim },
        clickhouse_settings: { mutations_sync: '2' },
      });
    await run('single', deleteVisitorSql(undefined));
    // ON CLUSTER sends the statement to every node: here, to each shard's database.
    for (const db of SHARDS) await run(db, strip(text));
    const counts = (db: string) =>
      select(
        on(db),
        'SELECT site_id, visitor_id, count() AS n FROM {db:Identifier}.events_v1 GROUP BY ALL ORDER BY ALL',
      );
    const left = await counts('single');
    expect(left.some((r) => (r as { visitor_id: string }).visitor_id === victim.visitor)).toBe(false);
    expect(await counts('dist')).toEqual(left);
  });
});
