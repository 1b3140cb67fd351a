/**
 * Input limits shared by the snippet, the server and the docs. The server enforces them; the
 * snippet truncates to them so that a well-behaved client never hits a 4xx.
 */
export const LIMITS = {
  /** Largest accepted `/collect` body, in bytes. */
  bodyBytes: 256 * 1024,
  /** Events in one `/collect` batch. */
  eventsPerBatch: 100,
  /** Free properties on one event. */
  props: 50,
  /** Length of a property key. */
  keyLength: 64,
  /** Length of a free-text property value. */
  valueLength: 1000,
  /** Items in one cart or order event. */
  items: 100,
  /** Active experiment assignments on one event. */
  experiments: 20,
  /** Nesting depth of a JSON body. */
  jsonDepth: 8,
  /** Length of URLs and referrers. */
  urlLength: 2048,
  /** Length of ids (event, visitor, session, user, cart, order). */
  idLength: 128,
  /** Length of short labels (names, titles, element text). */
  textLength: 500,
  /** Form field names reported on one form event. */
  formFields: 100,
  /** Events in one server events API batch (`POST /api/v1/sites/:siteId/events`). */
  serverEventsPerBatch: 1000,
  /** Largest accepted server events API body, in bytes. */
  serverBodyBytes: 4 * 1024 * 1024,
  /**
   * Largest accepted body of every other route (funnels, site administration), in bytes: the
   * largest funnel definition `FUNNEL_LIMITS` allows fits several times over.
   */
  apiBodyBytes: 1024 * 1024,
  /** Length of a user agent given with a server event. */
  userAgentLength: 1000,
  /**
   * Largest amount (`revenue`, an item's `price`) in absolute value, in currency units; stored
   * with 4 decimals (`Decimal(18, 4)`). 100 billion units: a large order in JPY, KRW, IDR or VND
   * is far below it. Why this and not more: every amount with 4 decimals up to it is told apart
   * by a double (the JSON number it arrives as: below 2^39 a double's step is under 0.0001, and
   * amount × 10^4 stays under 2^53, so `Math.round(x * 1e4)` is exact), and the reports' sums
   * cannot overflow for any number of rows: Σ amount is a Decimal128 (38 digits, 4 decimals:
   * 10^23 orders at the maximum), Σ amount² a Decimal256 (76 digits, 8 decimals), both exact,
   * then one conversion to Float64 (`server/src/sql/money.ts`). Browsers may not send negative
   * revenue (refunds come from the server events API).
   */
  moneyMax: 100_000_000_000,
  /**
   * A currency rate (`PUT …/settings/currency-rates`), both ends included: one unit of a
   * currency is worth 10^-9 … 10^9 units of the reporting currency. Real rates are within
   * 10^-6 … 10^6; the bounds keep every converted sum finite (Σ ≤ 10^34 × 10^9).
   */
  currencyRateMin: 1e-9,
  currencyRateMax: 1e9,
  /**
   * A property value counts as a number in experiment metrics (`property_sum`, `property_mean`)
   * when it is a plain decimal within ± this (10^15: integers are still exact in a double, and Σy²
   * over any number of events stays finite). A longer run of digits (a string property may hold
   * 1,000 of them) reads as text, not as infinity.
   */
  metricValueMax: 1e15,
} as const;
