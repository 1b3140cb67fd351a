/**
 * Sort keys as one string, for `argMin` in the hourly rollups: ClickHouse keeps an `argMin` by a
 * string as a plain string, by a tuple as a generic value that took 2–3× as long to merge. Each
 * key sorts exactly as the tuple it stands for. Not a query: fragments, written out the same in
 * migration 020, so that ClickHouse matches them.
 */

/**
 * An Int64 as 8 bytes that sort as text in the number's order: the sign bit flipped (so negatives
 * come first), big-endian. Concatenated after fixed-width parts like these, a string sorts as the
 * tuple of its parts would, byte for byte and then by length, as ClickHouse compares strings.
 */
export const sortableInt64 = (x: string) =>
  `reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(${x}), 9223372036854775808)))`;

/** `(ts, event_id)` as one string that sorts the same: the order the revenue report attributes by. */
export const EVENT_ORDER_KEY = `concat(${sortableInt64('toUnixTimestamp64Milli(ts)')}, event_id)`;
