import { sortableInt64 } from './sort-keys.ts';

/**
 * Which of an order's purchase events gives its revenue and currency: the one with the smallest
 * `ORDER_FIGURE_RANK`: a server or import event before a browser one (the payment system's
 * figure), then the first received, then (events of one request) the smaller amount, then the
 * currency. Events equal in all four carry the same figure, so the pick is the same whichever
 * of them is taken. Every report that folds purchases into orders uses it (orders summary,
 * revenue, carts as one string key, experiments); no event id is read, which keeps a wide string column out of
 * the experiment scan.
 */
export const ORDER_FIGURE_RANK = `(source = 'browser', received_at, revenue, currency)`;

/**
 * `ORDER_FIGURE_RANK` as one string that sorts the same (`sortableInt64`: fixed-width parts, the
 * currency last), for the revenue rollup of migration 020, where an `argMin` by a tuple kept a
 * generic state that took about twice as long to merge as the whole rest of the orders query.
 */
export const ORDER_FIGURE_KEY = `concat(if(source = 'browser', '1', '0'), ${sortableInt64('toUnixTimestamp64Milli(received_at)')}, ${sortableInt64('reinterpretAsInt64(revenue)')}, toString(currency))`;

/**
 * The rank's first two parts as one number, for queries that carry it with every purchase and
 * break ties by the amount themselves: server/import receipts (from 0) before browser ones
 * (from 10^13), each by `received_at` in ms (below 10^13 until the year 2286).
 */
export const ORDER_RECEIPT_KEY = `toInt64(source = 'browser') * 10000000000000 + toUnixTimestamp64Milli(received_at)`;
