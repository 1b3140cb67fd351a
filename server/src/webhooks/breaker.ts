/**
 * The circuit breaker of one site's receiver, in memory (a restart closes it: at most
 * FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES more attempts find out again).
 *
 * - closed: every due delivery is sent. `limit` failed attempts in a row (any answer but 2xx,
 *   a timeout, a refused address) open it; a success resets the count.
 * - open, for `cooldownMs` from the failure that opened it: nothing is sent to the site.
 * - half-open, once the cool-down is over: one delivery (the oldest due) is sent alone as the
 *   probe; a success closes the breaker, a failure opens it for another cool-down.
 *
 * A delivery the open breaker holds back is not attempted: it stays pending with its attempts
 * and its `next_at` as they were, so the breaker spends none of the retry budget
 * (FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS counts requests made). The clock is the caller's.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export class Breaker {
  private failures = 0;
  /** When the breaker last opened; undefined while closed. */
  private openedAt: number | undefined;

  /** `limit` = 0: never opens. */
  constructor(
    private readonly limit: number,
    private readonly cooldownMs: number,
  ) {}

  state(now: number): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return now - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Failed attempts in a row so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Counts one attempt's outcome (finished at `now`) and says whether it opened or closed the
   * breaker. A failure while open (a request sent before it opened) does not extend the cool-down.
   */
  record(ok: boolean, now: number, probe = false): 'opened' | 'closed' | undefined {
    if (ok) {
      this.failures = 0;
      const was = this.openedAt;
      this.openedAt = undefined;
      return was === undefined ? undefined : 'closed';
    }
    this.failures++;
    if (probe || (this.openedAt === undefined && this.limit > 0 && this.failures >= this.limit)) {
      this.openedAt = now;
      return 'opened';
    }
    return undefined;
  }
}
