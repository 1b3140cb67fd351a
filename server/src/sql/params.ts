import { FUNNEL_COLUMNS } from '@funnelhouse/schemas';

/** Collects parameters while SQL is generated; names are positional (`p0`, `p1`, …). */
export class Params {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  /** Binds a value and returns its placeholder. */
  bind(type: string, value: unknown): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** Binds an allow-listed column name as an identifier. */
  column(name: string): string {
    if (!(FUNNEL_COLUMNS as readonly string[]).includes(name) && !UNIT_COLUMNS.includes(name)) {
      throw new Error(`column not allowed: ${name}`);
    }
    return this.bind('Identifier', name);
  }
}

/** Unit columns a counting unit may name, besides the filter columns. */
export const UNIT_COLUMNS = ['visitor_id', 'session_id', 'user_id', 'cart_id', 'order_id'];
