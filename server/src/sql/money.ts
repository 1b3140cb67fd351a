/**
 * Sums over amounts (`revenue`, `price`: `Decimal(18, 4)`, at most ±`LIMITS.moneyMax` = 10^11),
 * in types that cannot overflow for any number of rows, and exact until the one conversion to
 * Float64 for the answer. ClickHouse keeps a Decimal product in its operands' width: `revenue *
 * revenue` is a `Decimal(18, 8)` and overflowed from 303,701 on ("Decimal math overflow"), which
 * made the revenue report and the forecast answer 500 for good once such an order was stored.
 *
 * - Σ amount: `Decimal(38, 4)` (Decimal128). At the maximum, 1.7 × 10^23 rows before it could
 *   overflow.
 * - Σ amount²: `Decimal(76, 8)` (Decimal256): one square is at most 10^22, so 5 × 10^46 rows.
 *   Float64 would not overflow either, but its sum depends on the order the threads add rows in;
 *   the decimal one gives the same answer every time and costs nothing that shows (one per order).
 *
 * Not a query: fragments for the queries that sum money (`getOrdersSummary`,
 * `getRevenueOrderSums`). Experiments read amounts as Float64 per unit (sums of at most 10^11 per
 * order, squares far from 10^308), carts fold a cart's value in Decimal128 and sum Float64s.
 */

/** Σ `amount`, exact, as a Float64. */
export const sumMoney = (amount: string) => `toFloat64(sum(toDecimal128(${amount}, 4)))`;

/** Σ `amount` over the rows where `cond` holds, exact, as a Float64. */
export const sumMoneyIf = (amount: string, cond: string) =>
  `toFloat64(sumIf(toDecimal128(${amount}, 4), ${cond}))`;

/** Σ `amount`², exact, as a Float64. */
export const sumMoneySquares = (amount: string) =>
  `toFloat64(sum(toDecimal256(${amount}, 4) * toDecimal256(${amount}, 4)))`;
