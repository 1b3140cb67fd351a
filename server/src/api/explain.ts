import { Trace } from '../clickhouse/query.ts';

/** A trace when the request asked `explain=1`; queries run with it record their SQL and values. */
export const traceIf = (explain: boolean | undefined): Trace | undefined =>
  explain ? new Trace() : undefined;

/** The `explain` member of an answer: the queries that made it, when they were traced. */
export const explained = (trace: Trace | undefined) => (trace ? { explain: trace.runs } : {});
