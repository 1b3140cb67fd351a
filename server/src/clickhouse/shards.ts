/**
 * Per-unit work on the shard that holds the unit. On a cluster, `events_v1` is a Distributed
 * table over `events_v1_local`, sharded by `sipHash64(visitor_id)` (`cluster-ddl.ts`): every
 * event of one visitor is on one shard. A query whose unit is the visitor (or anything inside
 * one visitor) can therefore run whole on each shard against the local table, and the
 * initiator only combines what the shards return; ARCHITECTURE.md ("Queries on the Distributed
 * table") gives the argument for each query that does so.
 *
 * The query generators take the events table as a value: on one node `EVENTS` (the text they
 * always had), inside a shard's part `EVENTS_LOCAL`. Reading the Distributed table from inside
 * a shard's part would fan out again and count every visitor once per shard.
 */
import { LOCAL_SUFFIX } from './cluster-ddl.ts';

/** The events table as every single-node query names it (on a cluster: the Distributed table). */
export const EVENTS = '{db:Identifier}.events_v1';
/** The shard's own replicated events table, read only inside `onEveryShard`. */
export const EVENTS_LOCAL = `{db:Identifier}.events_v1${LOCAL_SUFFIX}`;

/** The events table a per-unit query reads on this topology. */
export const eventsFor = (cluster: string | undefined) => (cluster ? EVENTS_LOCAL : EVENTS);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A source for `FROM`: on one node the subquery itself; on a cluster `cluster(name, view(…))`,
 * which runs the subquery on one replica of every shard and streams the union of their rows to
 * the initiator (the table function the server provides for this; the cluster name is a
 * checked identifier, so it is written as text).
 */
export function onEveryShard(sql: string, cluster: string | undefined): string {
  if (!cluster) return `(${sql})`;
  if (!IDENT.test(cluster)) throw new Error(`not a plain identifier: ${cluster}`);
  return `cluster(\`${cluster}\`, view(${sql}\n))`;
}

/**
 * A query whose rows are additive per group (counts and sums over visitors): on one node as
 * written; on a cluster run whole on every shard against the local table, then each `sums`
 * column added up per `keys` group on the initiator, in the query's own order. The sufficient
 * statistics (n, Σy, Σy², …) of a set of visitors split over shards are the sums of each
 * part's, so nothing but a few rows per shard crosses the network.
 */
export function summedOverShards(
  sql: (events: string) => string,
  cluster: string | undefined,
  keys: readonly string[],
  sums: readonly string[],
): string {
  if (!cluster) return sql(EVENTS);
  const k = keys.join(', ');
  // Qualified (`shard.n`), so that `sum(shard.n) AS n` reads the column, not its own alias.
  const s = sums.map((c) => `sum(shard.${c}) AS ${c}`).join(', ');
  return `
SELECT ${k}, ${s}
FROM ${onEveryShard(sql(EVENTS_LOCAL), cluster)} AS shard
GROUP BY ${k}
ORDER BY ${k}`;
}

/**
 * The table a mutation of events (`ALTER TABLE … DELETE`, erasure) names: a Distributed table
 * takes no mutations, so on a cluster it is the local table on every node (`ON CLUSTER`; each
 * shard's replicated table runs it once and its replicas follow, `mutations_sync = 2` waits
 * for all of them).
 */
export function eventsMutationTarget(cluster: string | undefined): string {
  if (!cluster) return EVENTS;
  if (!IDENT.test(cluster)) throw new Error(`not a plain identifier: ${cluster}`);
  return `${EVENTS_LOCAL} ON CLUSTER \`${cluster}\``;
}
