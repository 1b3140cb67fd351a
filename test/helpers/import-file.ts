import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Reasons a generated line is refused, by who refuses it (the importer or the server). */
export const BAD_KINDS = ['unreadable_line', 'invalid_event', 'too_old', 'invalid_timestamp'] as const;
export type BadKind = (typeof BAD_KINDS)[number];

export interface GeneratedLine {
  text: string;
  /** The event as the server should store it; absent for a bad line. */
  event?: Record<string, unknown>;
  bad?: BadKind;
}

/** Every 997th line is bad, in turn each kind of bad. */
const BAD_EVERY = 997;

/**
 * Line `i` (0-based) of a deterministic historical file of `n` lines spread over the last 700
 * days, strictly increasing in time, so (ts, id) order is file order. Deterministic, so a test can
 * regenerate any line instead of keeping a million in memory.
 */
export function generatedLine(i: number, n: number, endMs: number): GeneratedLine {
  const span = 700 * 86_400_000;
  const ts = endMs - span + Math.floor((i * span) / n);
  const id = `i${String(i).padStart(8, '0')}`;
  if (i % BAD_EVERY === BAD_EVERY - 1) {
    const bad = BAD_KINDS[Math.floor(i / BAD_EVERY) % BAD_KINDS.length] as BadKind;
    const base = { id, type: 'pageview', url: 'https://shop.example/', ts };
    const text = {
      unreadable_line: `{"id":"${id}","type":`,
      invalid_event: JSON.stringify({ ...base, url: 'not-a-url' }),
      too_old: JSON.stringify({ ...base, ts: endMs - 800 * 86_400_000 }),
      invalid_timestamp: JSON.stringify({ ...base, ts: 'yesterday-ish' }),
    }[bad];
    return { text, bad };
  }
  const event: Record<string, unknown> =
    i % 50 === 0
      ? {
          id,
          type: 'purchase',
          ts: new Date(ts).toISOString(),
          url: 'https://shop.example/thanks',
          visitor_id: `v${i % 5000}`,
          order_id: `o${i}`,
          revenue: (i % 9973) / 100 + 1,
          currency: 'EUR',
        }
      : {
          id,
          type: 'pageview',
          ts,
          url: `https://shop.example/p/${i % 200}?utm_source=news`,
          visitor_id: `v${i % 5000}`,
          props: { n: i % 7 },
        };
  return { text: JSON.stringify(event), event: { ...event, ts } };
}

/** Writes the file with backpressure (constant memory); returns the count of each bad kind. */
export async function writeGeneratedFile(
  path: string,
  n: number,
  endMs: number,
): Promise<Record<BadKind, number>> {
  const out = createWriteStream(path);
  const bad = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
  for (let i = 0; i < n; i++) {
    const line = generatedLine(i, n, endMs);
    if (line.bad) bad[line.bad]++;
    if (!out.write(`${line.text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bad;
}
