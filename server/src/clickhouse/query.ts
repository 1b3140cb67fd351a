import type { z } from 'zod';
import { type Store, select } from './client.ts';

/**
 * A typed query: its SQL, a zod schema for the values it binds (`{name:Type}` placeholders) and a
 * zod schema for one row it returns. Rows are parsed, not cast: a UInt64 that the engine sends as
 * a string comes out a number because the row schema says `z.coerce.number()`, never by a
 * `Number()` at each call site. `db` is bound by `select`; `site` and the range by the caller's
 * scope (`sql/range.ts`), so no query file binds them by hand.
 */
export interface Query<P extends Record<string, unknown>, R> {
  /** The query file's function name, shown in `explain`. */
  name: string;
  sql: string;
  params: z.ZodType<P>;
  row: z.ZodType<R>;
}

export function defineQuery<P extends Record<string, unknown>, R>(q: Query<P, R>): Query<P, R> {
  return q;
}

/** What ran for an answer: each query's name, SQL and bound values, for `explain=1`. */
export interface QueryRun {
  name: string;
  sql: string;
  params: Record<string, unknown>;
}

/** Collects the queries one request ran; a route returns `runs` when asked to explain itself. */
export class Trace {
  readonly runs: QueryRun[] = [];
  record(run: QueryRun): void {
    this.runs.push(run);
  }
}

/** Runs a typed query: validates its values, binds them, parses its rows, records it on `trace`. */
export async function runQuery<P extends Record<string, unknown>, R>(
  store: Store,
  q: Query<P, R>,
  params: P,
  trace?: Trace,
): Promise<R[]> {
  const bound = q.params.parse(params) as Record<string, unknown>;
  trace?.record({ name: q.name, sql: q.sql, params: bound });
  const raw = await select<unknown>(store, q.sql, bound);
  return raw.map((r) => q.row.parse(r));
}

/** The same for SQL generated per request (funnels): the generator supplies the text and values. */
export async function runGenerated<R>(
  store: Store,
  g: { name: string; sql: string; params: Record<string, unknown>; row: z.ZodType<R> },
  trace?: Trace,
): Promise<R[]> {
  trace?.record({ name: g.name, sql: g.sql, params: g.params });
  const raw = await select<unknown>(store, g.sql, g.params);
  return raw.map((r) => g.row.parse(r));
}

/** A trace when the request asked `explain=1`; queries run with it record their SQL and values. */
export const traceIf = (explain: boolean | undefined): Trace | undefined =>
  explain ? new Trace() : undefined;

/** The `explain` member of an answer: the queries that made it, when they were traced. */
export const explained = (trace: Trace | undefined) => (trace ? { explain: trace.runs } : {});
