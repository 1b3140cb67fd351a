import { ApiError } from '../errors.ts';

export interface TokenBucketOptions {
  /** Tokens added per second; 0 switches the limit off. */
  perSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet spell. */
  burst: number;
  /** Keys kept at most; full (idle) buckets are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * One token bucket per key (a client address, a site), in memory. A small class rather than a
 * middleware library: the per-site key is only known after the body is parsed, inside the route,
 * and a bucket gives a precise `Retry-After` where fixed windows would not.
 *
 * @example
 * const perIp = new TokenBuckets({ perSecond: 10, burst: 100 });
 * perIp.take('203.0.113.7'); // 0 when allowed, else seconds until the next token
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly opts: TokenBucketOptions) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /** Takes one token for `key`: 0 when allowed, else the seconds to wait before one is free. */
  take(key: string): number {
    const { perSecond, burst } = this.opts;
    if (perSecond <= 0) return 0;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.delete(key); // re-inserted last: the Map's order is least recently used first
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.evict();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / perSecond;
  }

  /** Forgets the least recently used tenth of the keys; their next request starts with a full bucket. */
  private evict(): void {
    let n = Math.ceil(this.maxKeys / 10);
    for (const k of this.buckets.keys()) {
      if (n-- <= 0) break;
      this.buckets.delete(k);
    }
  }
}

/** Throws `rate_limited` (429) with a whole-second `Retry-After` when the bucket of `key` is empty. */
export function enforce(buckets: TokenBuckets, key: string, what: string): void {
  const wait = buckets.take(key);
  if (wait > 0) {
    throw new ApiError('rate_limited', `Too many requests for this ${what}; retry later`, undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(wait))),
    });
  }
}
