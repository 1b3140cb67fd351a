import type { Store } from '../clickhouse/client.ts';
import { compilePatterns } from '../queries/compilePatterns.ts';

/** How many verdicts, and how many pattern characters in all, the cache keeps. */
export interface VerdictLimits {
  entries: number;
  chars: number;
}

/** ~2 MB of pattern text at most; a definition holds ≤ 5,000 pattern characters. */
export const VERDICT_DEFAULTS: VerdictLimits = { entries: 10_000, chars: 1_000_000 };

/** Locating bad patterns stops after this many: an answer lists at most 20 issues anyway. */
const MAX_BAD = 20;

/**
 * The engine's verdict on each regular expression, kept: RE2's answer to a pattern never changes
 * while the process runs (one engine, one version), so a pattern is compiled by the engine once.
 *
 * Why not RE2 in process: the engine's answer is the one that matters (ClickHouse's own RE2 build
 * and options), and the binding (`re2` on npm) is a native addon to build for every platform. So
 * the engine answers, on the report connections in the asking site's lane (`reportStore`), never
 * on the main connection that ingestion, server events and `/readyz` share: one definition of
 * invalid patterns used to cost a query each there (15.9 s), and another site's server events
 * waited behind them (issue 25, item 7).
 *
 * Bounded by entries and by characters; the least recently used verdict goes first.
 */
export class RegexVerdicts {
  /** Pattern → `null` (compiles) or RE2's reason; Map order is recency order. */
  readonly #seen = new Map<string, string | null>();
  #chars = 0;

  constructor(
    readonly limits: VerdictLimits = VERDICT_DEFAULTS,
    /** Called once per query sent to the engine (a metric). */
    private readonly onCompile: () => void = () => {},
  ) {}

  /**
   * RE2's reason for each of `patterns` it cannot compile (absent: it compiles). One query for all
   * patterns not yet judged (the usual case: they compile); one per pattern only to locate bad ones.
   */
  async judge(store: Store, patterns: readonly string[]): Promise<Map<string, string>> {
    const bad = new Map<string, string>();
    const unknown: string[] = [];
    for (const p of new Set(patterns)) {
      const kept = this.#recall(p);
      if (kept === undefined) unknown.push(p);
      else if (kept !== null) bad.set(p, kept);
    }
    // The answer is built here, not read back from the cache: a verdict it could not keep (a
    // pattern over its size, one evicted by the next) still counts.
    const all = unknown.length > 0 ? await this.#compile(store, unknown) : undefined;
    if (all === undefined || unknown.length === 1) {
      for (const p of unknown) this.#remember(p, all ?? null);
      if (all !== undefined) bad.set(unknown[0] as string, all);
      return bad;
    }
    for (const p of unknown) {
      if (bad.size >= MAX_BAD) break;
      const reason = await this.#compile(store, [p]);
      this.#remember(p, reason ?? null);
      if (reason !== undefined) bad.set(p, reason);
    }
    return bad;
  }

  /** Verdicts kept now (for tests and metrics). */
  get size(): number {
    return this.#seen.size;
  }

  #compile(store: Store, patterns: string[]): Promise<string | undefined> {
    this.onCompile();
    return compilePatterns(store, patterns);
  }

  #recall(p: string): string | null | undefined {
    const v = this.#seen.get(p);
    if (v === undefined) return undefined;
    this.#seen.delete(p);
    this.#seen.set(p, v);
    return v;
  }

  #remember(p: string, reason: string | null): void {
    if (p.length > this.limits.chars) return;
    if (this.#seen.delete(p)) this.#chars -= p.length;
    this.#seen.set(p, reason);
    this.#chars += p.length;
    for (const [old] of this.#seen) {
      if (this.#seen.size <= this.limits.entries && this.#chars <= this.limits.chars) break;
      this.#seen.delete(old);
      this.#chars -= old.length;
    }
  }
}
