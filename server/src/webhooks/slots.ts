/**
 * A counting semaphore, first come first served: at most `size` holders at once. The webhook
 * worker takes one slot per request across all sites (FUNNELHOUSE_WEBHOOK_CONCURRENCY); since
 * each site runs at most FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY senders, the queue is fair
 * between sites: a site waits behind at most that many requests of each other site.
 */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots ${size}: a positive integer`);
  }

  /** Runs `fn` once a slot is free, and frees it when `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.held++;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next in line (held stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    }
  }

  /** Slots in use now (tests). */
  get inUse(): number {
    return this.held;
  }
}
