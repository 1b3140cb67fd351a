/**
 * A visitor's first touch: the values of its first event of a range, in the order `(ts,
 * event_id)`. The overview's top lists (`queries/getTopValues.ts`) and the revenue report's
 * breakdowns (`revenue/`) attribute visitors by it. Not a query: fragments, written out the same
 * in the hourly rollups that keep them (migrations 016 and 020), so that ClickHouse matches them.
 */

/** The first-touch columns, in the order their values are joined. */
export const TOUCH_COLUMNS = [
  'referrer_host',
  'channel',
  'utm_source',
  'utm_campaign',
  'country',
  'device',
  'browser',
] as const;
export type TouchColumn = (typeof TOUCH_COLUMNS)[number];

/**
 * A value made safe to join with `\x1F`: `\x1E` becomes `\x1E\x1D` and `\x1F` becomes `\x1E\x1C`,
 * so the joined text splits back into exactly the values, byte for byte (`unescapeTouch`).
 */
const escapeTouch = (c: string) =>
  `replaceAll(replaceAll(toString(${c}), '\\x1E', '\\x1E\\x1D'), '\\x1F', '\\x1E\\x1C')`;
export const unescapeTouch = (x: string) =>
  `replaceAll(replaceAll(${x}, '\\x1E\\x1C', '\\x1F'), '\\x1E\\x1D', '\\x1E')`;

/** An event's values of `columns` as one string: each escaped, joined with `\x1F`. */
export const joinTouch = (columns: readonly string[]) =>
  `concat(${columns.map(escapeTouch).join(", '\\x1F', ")})`;

/** The `i`-th value out of a `joinTouch` string `x`, exactly as the event held it. */
export const touchAt = (i: number, x: string) => unescapeTouch(`splitByChar('\\x1F', ${x})[${i + 1}]`);

/** An event's first-touch values as one string: the columns' escaped values joined with `\x1F`. */
export const TOUCH_VALUES = joinTouch(TOUCH_COLUMNS);

/** One column's value out of a `TOUCH_VALUES` string `x`, exactly as the event held it. */
export const touchValue = (column: TouchColumn, x: string) => touchAt(TOUCH_COLUMNS.indexOf(column), x);

/**
 * An event's place in time as one number, so that ClickHouse's argMin compares plain integers
 * (a `(ts, event_id)` tuple made the first-touch grouping about twice as slow): the ms of `ts`
 * above the first 24 bytes of the event id, read big-endian (zero-padded), which orders ids as
 * text does. Ids that share their first 24 bytes at the same millisecond are tied: the engine keeps
 * either (snippet ids are 30–40 random digits, so their first 24 bytes never meet). The revenue
 * report orders by `EVENT_ORDER_KEY` of `sort-keys.ts` instead, exactly `(ts, event_id)`.
 */
export const FIRST_KEY =
  'bitShiftLeft(toUInt256(toUnixTimestamp64Milli(ts)), 192) + reinterpretAsUInt256(reverse(rightPad(substring(event_id, 1, 24), 24, char(0))))';

/**
 * A visitor's first-touch values as one string, taken at `FIRST_KEY`'s minimum. One `argMin`
 * over a string: the same over a tuple of the seven columns, or seven `argMin`s, took 4–5× as
 * long to merge (1.2–1.5 s against 0.24–0.35 s for 364 k visitors in 1.26 M visitor-hours at 10 M
 * events).
 */
export const FIRST_TOUCH = `argMin(${TOUCH_VALUES}, ${FIRST_KEY})`;
